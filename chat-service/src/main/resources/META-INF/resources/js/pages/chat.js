// The project chat (#/projects/{id} and #/projects/{id}/sessions/{sessionId}): the project's sessions on one side,
// the conversation on the other, live over the session's stream; the message box submits a task (no session yet)
// or a follow-up (in a session).
import {h, route, clear, age, link, toast} from '../dom.js';
import {get, post} from '../api.js';
import {openLive} from '../live.js';
import {renderMessage} from '../messages.js';
import {renderTimeline} from '../timeline.js';
import {loadVocabulary, statusLabel} from '../vocabulary.js';

export async function render(root, params) {
  const {projectId, sessionId} = params;
  let vocabulary;
  try {
    vocabulary = await loadVocabulary();
  } catch (e) {
    root.appendChild(h('p', {class: 'form-error'}, e.message));
    return null;
  }
  const sessionList = h('ul', {class: 'session-list', 'data-testid': 'sessions'});
  const projectTitle = h('div', {class: 'sidebar-title'}, '…');
  const editLink = route('Edit', '/projects/' + projectId + '/edit', 'btn btn-small btn-secondary');
  const sidebar = h('aside', {class: 'sidebar'},
    h('div', {class: 'sidebar-head'}, projectTitle, editLink),
    route('+ New chat', '/projects/' + projectId, 'btn btn-primary new-chat'),
    sessionList);

  const conversation = h('section', {class: 'conversation'});
  root.appendChild(h('div', {class: 'chat-layout'}, sidebar, conversation));

  let live = null;
  let sessionsTimer = null;
  const cleanup = () => {
    if (live) live.close();
    clearInterval(sessionsTimer);
  };

  const loadSessions = async () => {
    try {
      const sessions = await get('/api/projects/' + encodeURIComponent(projectId) + '/sessions');
      clear(sessionList);
      if (!sessions.length) sessionList.appendChild(h('li', {class: 'muted small'}, 'No chats yet.'));
      sessions.forEach(s => sessionList.appendChild(h('li', null, route('', '/projects/' + projectId + '/sessions/'
        + s.id, 'session-item' + (s.id === sessionId ? ' active' : '')))));
      sessionList.querySelectorAll('a.session-item').forEach((a, i) => {
        const s = sessions[i];
        a.setAttribute('data-session', s.id);
        a.appendChild(h('span', {class: 'session-topic'}, s.topic));
        a.appendChild(h('span', {class: 'session-meta'},
          h('span', {class: 'pill status-' + s.status}, statusLabel(s.status)), ' ', age(s.createdAt)));
      });
    } catch (e) {
      clear(sessionList).appendChild(h('li', {class: 'muted small'}, e.notAvailable
        ? 'The session list is not available on this Handoff yet.' : e.message));
    }
  };

  get('/api/projects/' + encodeURIComponent(projectId))
    .then(p => {
      projectTitle.textContent = p.name + (p.teamName ? ' · ' + p.teamName : '');
      document.title = p.name + ' · Handoff';
      if (p.editable === false) editLink.hidden = true;
    })
    .catch(e => { projectTitle.textContent = e.status === 404 ? 'Unknown project' : e.message; });
  loadSessions();
  sessionsTimer = setInterval(loadSessions, 10000);

  if (!sessionId) {
    renderNewChat(conversation, projectId);
  } else {
    live = renderSession(conversation, projectId, sessionId, loadSessions, vocabulary);
  }
  return cleanup;
}

function composer(placeholder, send) {
  const notice = h('div', {class: 'composer-notice', role: 'status'});
  const input = h('textarea', {name: 'text', rows: 1, placeholder, 'aria-label': 'Message', 'data-testid': 'composer'});
  const button = h('button', {class: 'btn btn-primary send', type: 'submit', 'aria-label': 'Send'}, 'Send');
  const form = h('form', {class: 'composer', onsubmit: async event => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    button.disabled = true;
    notice.textContent = '';
    try {
      await send(text);
      input.value = '';
      autosize();
    } catch (e) {
      notice.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  }}, h('div', {class: 'composer-box'}, input, button), notice);
  const autosize = () => {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 240) + 'px';
  };
  input.addEventListener('input', autosize);
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  return {form, input, notice};
}

function renderNewChat(conversation, projectId) {
  const box = composer('Describe a task for the agent…', async text => {
    const accepted = await post('/api/projects/' + encodeURIComponent(projectId) + '/tasks', {description: text});
    location.hash = '#/projects/' + projectId + '/sessions/' + accepted.sessionId;
  });
  conversation.appendChild(h('div', {class: 'empty-chat'},
    h('h2', null, 'What should the agent do?'),
    h('p', {class: 'muted'}, 'Handoff starts a node, clones the repository and hands your task to the agent. '
      + 'You see every step here.')));
  conversation.appendChild(box.form);
  box.input.focus();
}

function renderSession(conversation, projectId, sessionId, refreshSessions, vocabulary) {
  const title = h('h2', {class: 'conv-title'}, '');
  const status = h('span', {class: 'pill', 'data-testid': 'task-status'}, '');
  const connection = h('span', {class: 'connection', 'data-testid': 'connection', title: 'live connection'}, '');
  const stop = h('button', {class: 'btn btn-danger btn-small', type: 'button', hidden: true, 'data-testid': 'stop'},
    'Stop');
  const timelineSlot = h('div', {class: 'timeline-slot'});
  const messages = h('div', {class: 'messages', 'data-testid': 'messages'});
  const result = h('div', {class: 'turn-result', 'data-testid': 'turn-result'});
  const scroller = h('div', {class: 'scroller'}, h('div', {class: 'thread'}, timelineSlot, messages, result));
  const box = composer('Send a follow-up…', async text => {
    try {
      await post('/api/sessions/' + encodeURIComponent(sessionId) + '/messages', {text});
    } catch (e) {
      if (e.notAvailable) throw new Error('Follow-up messages are not available on this Handoff yet.');
      throw e;
    }
  });
  conversation.appendChild(h('div', {class: 'conv-head'}, title, status, connection, stop));
  conversation.appendChild(scroller);
  conversation.appendChild(box.form);

  const shown = new Map(); // seq -> {message, el}
  const openState = new Map(); // seq -> the user's open/closed choice for collapsible cards
  let task = null;

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  const ctx = {
    isOpen: seq => openState.get(seq),
    onToggle: (seq, open) => openState.set(seq, open),
    answerPermission: async (message, optionId, button) => {
      const card = button.closest('.permission-card');
      card.querySelectorAll('button').forEach(b => { b.disabled = true; });
      try {
        await post('/api/tasks/' + encodeURIComponent(task.taskId) + '/permissions/'
          + encodeURIComponent(message.data.requestId), {optionId});
      } catch (e) {
        card.querySelectorAll('button').forEach(b => { b.disabled = false; });
        card.querySelector('.permission-error').textContent = e.notAvailable
          ? 'Answering permission requests is not available on this Handoff yet.' : e.message;
      }
    },
  };

  function showMessage(message) {
    const existing = shown.get(message.seq);
    if (existing && existing.message.revision >= message.revision) return;
    const stick = nearBottom();
    const el = renderMessage(message, ctx);
    if (existing) {
      existing.el.replaceWith(el);
    } else {
      const after = [...shown.keys()].filter(seq => seq > message.seq).sort((a, b) => a - b)[0];
      messages.insertBefore(el, after === undefined ? null : shown.get(after).el);
    }
    shown.set(message.seq, {message, el});
    if (message.seq === 1 && message.role === 'user' && !title.textContent) title.textContent = firstLine(message.content);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }

  // The text added to an agent message: the message as shown, longer. An append that does not follow what is shown
  // (it cannot happen on one connection; a stale one after a reconnect) is left to the whole message that follows.
  function appendToMessage(append) {
    const existing = shown.get(append.seq);
    if (!existing || existing.message.revision >= append.revision) return;
    const content = existing.message.content || '';
    if (content.length !== append.offset) return;
    showMessage({...existing.message, revision: append.revision, content: content + append.text,
      complete: append.complete, updatedAt: append.updatedAt});
  }

  function showTask(view) {
    const stick = nearBottom();
    const previous = task;
    task = view;
    status.textContent = statusLabel(view.status);
    status.className = 'pill status-' + view.status;
    status.setAttribute('data-status', view.status);
    stop.hidden = !vocabulary.inFlight(view.status) || !vocabulary.cancellable(view.status);
    clear(timelineSlot).appendChild(renderTimeline(view, vocabulary));
    clear(result);
    if (!vocabulary.inFlight(view.status) && (view.branch || view.pullRequestUrl)) {
      result.appendChild(h('div', {class: 'result-card'},
        view.branch ? h('span', null, 'Branch ', h('code', null, view.branch)) : null,
        view.commit ? h('span', {class: 'muted'}, ' at ', h('code', null, String(view.commit).slice(0, 10))) : null,
        view.pullRequestUrl ? link('Pull request ↗', view.pullRequestUrl, 'btn btn-secondary btn-small') : null));
    }
    if (view.failureReason) { // set only on a failed task
      result.appendChild(h('div', {class: 'result-card error'}, 'Failed: ' + view.failureReason));
    }
    if (previous && previous.status !== view.status) refreshSessions();
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }

  stop.addEventListener('click', async () => {
    if (!task) return;
    stop.disabled = true;
    try {
      showTask(await post('/api/tasks/' + encodeURIComponent(task.taskId) + '/cancel'));
    } catch (e) {
      toast(e.message);
    } finally {
      stop.disabled = false;
    }
  });

  const states = {live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline'};
  const connectionState = state => {
    connection.textContent = states[state] || state;
    connection.setAttribute('data-state', state);
  };
  connectionState('connecting');
  box.input.focus();
  return openLive(sessionId, {after: 0, onMessage: showMessage, onAppend: appendToMessage, onTask: showTask,
    onState: connectionState});
}

function firstLine(text) {
  const line = String(text || '').split('\n')[0];
  return line.length > 120 ? line.slice(0, 117) + '…' : line;
}
