// The task's steps as they happen (task created, node ready, workspace ready, agent started, ...), with times.
import {h, time} from './dom.js';
import {statusLabel} from './vocabulary.js';

/**
 * Renders the task's timeline: every known step with its time, the next one as "in progress". {@code vocabulary}
 * (vocabulary.js) says which statuses are the first turn's steps and what each means.
 */
export function renderTimeline(task, vocabulary) {
  const steps = vocabulary.firstTurnSteps();
  const timeline = task.timeline || [];
  const byStatus = new Map();
  timeline.forEach(step => { if (!byStatus.has(step.status)) byStatus.set(step.status, step); });
  const started = timeline.length ? new Date(timeline[0].at).getTime() : null;
  // The step the node was named at (the node ready one) says which node.
  const firstOnNode = timeline.find(s => s.nodeId);
  const items = [];
  let pendingShown = false;
  for (const step of steps) {
    const happened = byStatus.get(step.name);
    if (happened) {
      items.push(item('done', step.label, happened, started, firstOnNode));
    } else if (!pendingShown && vocabulary.inFlight(task.status)) {
      pendingShown = true;
      items.push(h('li', {class: 'step step-waiting', 'data-step': step.name},
        h('span', {class: 'step-dot'}), h('span', {class: 'step-label'}, step.waitingLabel + '…')));
    }
  }
  for (const step of timeline) {
    if (!steps.some(s => s.name === step.status)) {
      items.push(item(vocabulary.setback(step.status) ? 'bad' : 'done', vocabulary.label(step.status), step,
        started, firstOnNode));
    }
  }
  const nodeId = timeline.map(s => s.nodeId).find(Boolean);
  return h('div', {class: 'timeline', 'data-testid': 'timeline'},
    h('div', {class: 'timeline-head'},
      h('span', null, 'Task ', h('span', {class: 'pill status-' + task.status, 'data-status': task.status},
        statusLabel(task.status))),
      h('span', {class: 'timeline-meta'}, [task.agent ? 'agent ' + task.agent : null,
        nodeId ? 'node ' + nodeId : null].filter(Boolean).join(' · '))),
    h('ol', {class: 'steps'}, items));
}

function item(kind, label, step, started, firstOnNode) {
  const at = new Date(step.at).getTime();
  const offset = started !== null && !isNaN(at) ? '+' + ((at - started) / 1000).toFixed(1) + ' s' : '';
  return h('li', {class: 'step step-' + kind, 'data-step': step.status},
    h('span', {class: 'step-dot'}),
    h('span', {class: 'step-label'}, label),
    step.detail ? h('span', {class: 'step-detail'}, step.detail) : null,
    step.nodeId && step === firstOnNode ? h('span', {class: 'step-detail'}, 'on ' + step.nodeId) : null,
    h('time', {class: 'step-time', title: step.at}, time(step.at) + (offset ? ' (' + offset + ')' : '')));
}
