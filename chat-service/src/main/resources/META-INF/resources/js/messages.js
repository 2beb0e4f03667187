// One chat message as DOM, by role (docs/api.md "Messages"). Everything from the agent or the user is text.
import {h, link, shortPath, time} from './dom.js';
import {renderMarkdown} from './markdown.js';
import {renderDiff} from './diff.js';

const KIND_ICONS = {
  read: '📄', edit: '✏️', delete: '🗑', move: '↔', search: '🔍', execute: '▶', think: '💭', fetch: '🌐',
  switch_mode: '⇄', other: '⚙',
};

/**
 * @param m the message view
 * @param ctx {answerPermission(message, optionId), isOpen(seq) -> true|false|undefined, onToggle(seq, open)}
 */
export function renderMessage(m, ctx) {
  const el = body(m, ctx);
  el.setAttribute('data-seq', String(m.seq));
  el.setAttribute('data-role', m.role);
  el.classList.add('msg', 'msg-' + m.role);
  if (!m.complete) el.classList.add('streaming');
  return el;
}

function body(m, ctx) {
  switch (m.role) {
    case 'user':
      return h('div', null, h('div', {class: 'bubble'}, m.content || ''),
        h('div', {class: 'msg-meta'}, time(m.createdAt)));
    case 'assistant':
      return h('div', null, h('div', {class: 'markdown'}, renderMarkdown(m.content || '')));
    case 'thinking':
      return collapsible(m, ctx, false, h('span', {class: 'thinking-label'}, m.complete ? 'Thought' : 'Thinking…'),
        h('div', {class: 'thinking-text'}, m.content || ''));
    case 'tool':
      return toolCard(m, ctx);
    case 'plan':
      return plan(m);
    case 'permission':
      return permission(m, ctx);
    case 'system':
      return system(m);
    default:
      return h('div', null, h('div', {class: 'bubble'}, m.content || ''));
  }
}

function collapsible(m, ctx, openByDefault, summary, ...content) {
  const remembered = ctx.isOpen(m.seq);
  const details = h('details', {open: remembered === undefined ? openByDefault : remembered},
    h('summary', null, summary), ...content);
  details.addEventListener('toggle', () => ctx.onToggle(m.seq, details.open));
  return h('div', null, details);
}

function toolCard(m, ctx) {
  const call = m.data || {};
  const kind = call.kind || 'other';
  const status = call.status || 'pending';
  const raw = call.rawInput || {};
  const command = typeof raw.command === 'string' ? raw.command : null;
  const paths = new Set();
  (call.locations || []).forEach(l => l && l.path && paths.add(l.path));
  if (typeof raw.file_path === 'string') paths.add(raw.file_path);
  if (typeof raw.path === 'string') paths.add(raw.path);
  const diffs = (call.content || []).filter(c => c && c.type === 'diff');
  diffs.forEach(d => d.path && paths.add(d.path));
  const subject = command || [...paths][0] || '';

  const summary = h('span', {class: 'tool-summary'},
    h('span', {class: 'tool-icon', 'aria-label': kind}, KIND_ICONS[kind] || KIND_ICONS.other),
    h('span', {class: 'tool-title'}, call.title || m.content || 'Tool call'),
    subject && subject !== call.title ? h('code', {class: 'tool-subject', title: subject},
      command ? short(subject) : shortPath(subject)) : null,
    h('span', {class: 'tool-kind'}, kind),
    h('span', {class: 'pill status-' + status, 'data-status': status}, status.replace('_', ' ')));

  const details = [];
  if (command) details.push(h('pre', {class: 'code tool-command'}, h('code', null, '$ ' + command)));
  if (paths.size && !command && !diffs.length) details.push(h('div', {class: 'tool-paths'}, [...paths].map(p => h('code', null, p))));
  diffs.forEach(d => details.push(renderDiff(d)));
  (call.content || []).filter(c => c && c.type === 'content').forEach(c => {
    const block = c.content || {};
    details.push(h('pre', {class: 'code tool-output'}, h('code', null,
      block.type === 'text' ? block.text || '' : '[' + (block.type || 'content') + ']')));
  });
  (call.content || []).filter(c => c && c.type === 'terminal').forEach(c =>
    details.push(h('div', {class: 'tool-paths'}, 'terminal ', h('code', null, c.terminalId || ''))));
  if (!details.length && call.rawInput) {
    details.push(h('pre', {class: 'code tool-output'}, h('code', null, JSON.stringify(call.rawInput, null, 2))));
  }
  // Edits open by default so the diff shows; other tools stay compact.
  const el = collapsible(m, ctx, diffs.length > 0, summary, h('div', {class: 'tool-body'}, details));
  el.classList.add('tool-card', 'kind-' + kind);
  el.setAttribute('data-status', status);
  return el;
}

function short(text) {
  const oneLine = String(text).replace(/\s+/g, ' ');
  return oneLine.length > 80 ? oneLine.slice(0, 77) + '…' : oneLine;
}

function plan(m) {
  const entries = (m.data && Array.isArray(m.data.entries)) ? m.data.entries : [];
  return h('div', null, h('div', {class: 'plan-card'},
    h('div', {class: 'card-title'}, 'Plan'),
    h('ul', {class: 'plan'}, entries.map(e => h('li', {class: 'plan-' + (e.status || 'pending'),
      'data-status': e.status || 'pending'},
      h('input', {type: 'checkbox', disabled: true, checked: e.status === 'completed'}),
      h('span', null, e.content || ''),
      e.status === 'in_progress' ? h('span', {class: 'pill status-in_progress'}, 'in progress') : null)))));
}

function permission(m, ctx) {
  const data = m.data || {};
  const state = data.state || 'pending';
  const toolCall = data.toolCall || {};
  const options = Array.isArray(data.options) ? data.options : [];
  const chosen = options.find(o => o.optionId === data.chosenOptionId);
  const buttons = h('div', {class: 'permission-options'}, options.map(option => h('button', {
    type: 'button',
    class: 'btn ' + (String(option.kind || '').startsWith('allow') ? 'btn-primary' : 'btn-secondary'),
    'data-option': option.optionId,
    disabled: state !== 'pending',
    onclick: event => ctx.answerPermission(m, option.optionId, event.currentTarget),
  }, option.name || option.optionId)));
  return h('div', null, h('div', {class: 'permission-card', 'data-state': state},
    h('div', {class: 'card-title'}, 'The agent asks for permission'),
    h('div', {class: 'permission-tool'}, toolCall.title || m.content || 'a tool call'),
    state === 'pending' ? buttons : h('div', {class: 'permission-answer'},
      state === 'answered' ? 'Answered: ' + (chosen ? chosen.name : data.chosenOptionId || '') : 'Expired'),
    h('div', {class: 'permission-error', role: 'status'})));
}

function system(m) {
  const data = m.data || {};
  const url = data.url || data.pullRequestUrl;
  return h('div', null, h('div', {class: 'system-line' + (data.kind === 'task_failed' ? ' error' : '')},
    m.content || '', url ? [' ', link('Open', url)] : null));
}
