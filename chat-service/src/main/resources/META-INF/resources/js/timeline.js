// The task's steps as they happen (task created, node ready, workspace ready, agent started, ...), with times.
import {h, time} from './dom.js';

const STEPS = [
  {status: 'queued', done: 'Task created', waiting: 'Creating the task'},
  {status: 'provisioning_node', done: 'Node requested', waiting: 'Requesting a node'},
  {status: 'creating_workspace', done: 'Node ready', waiting: 'Waiting for the node'},
  {status: 'starting_agent', done: 'Workspace ready', waiting: 'Cloning the repository'},
  {status: 'running', done: 'Agent started', waiting: 'Starting the agent'},
  {status: 'turn_ended', done: 'Turn ended', waiting: 'Agent working'},
];

const TERMINAL = new Set(['failed', 'cancelled']);

export const ACTIVE = new Set(['queued', 'provisioning_node', 'creating_workspace', 'starting_agent', 'running',
  'stalled', 'cancelling', 'waiting_for_permission', 'delivering_prompt']);

export function statusLabel(status) {
  return (status || 'unknown').replace(/_/g, ' ');
}

/** Renders the task's timeline: every known step with its time, the next one as "in progress". */
export function renderTimeline(task) {
  const timeline = task.timeline || [];
  const byStatus = new Map();
  timeline.forEach(step => { if (!byStatus.has(step.status)) byStatus.set(step.status, step); });
  const started = timeline.length ? new Date(timeline[0].at).getTime() : null;
  const items = [];
  let pendingShown = false;
  for (const step of STEPS) {
    const happened = byStatus.get(step.status);
    if (happened) {
      items.push(item('done', step.done, happened, started));
    } else if (!pendingShown && ACTIVE.has(task.status)) {
      pendingShown = true;
      items.push(h('li', {class: 'step step-waiting', 'data-step': step.status},
        h('span', {class: 'step-dot'}), h('span', {class: 'step-label'}, step.waiting + '…')));
    }
  }
  for (const step of timeline) {
    if (!STEPS.some(s => s.status === step.status)) {
      const label = {stalled: 'Stalled', cancelling: 'Cancelling', cancelled: 'Cancelled', failed: 'Failed',
        completed: 'Completed'}[step.status]
        || statusLabel(step.status);
      items.push(item(TERMINAL.has(step.status) || step.status === 'stalled' ? 'bad' : 'done', label, step, started));
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

function item(kind, label, step, started) {
  const at = new Date(step.at).getTime();
  const offset = started !== null && !isNaN(at) ? '+' + ((at - started) / 1000).toFixed(1) + ' s' : '';
  return h('li', {class: 'step step-' + kind, 'data-step': step.status},
    h('span', {class: 'step-dot'}),
    h('span', {class: 'step-label'}, label),
    step.detail ? h('span', {class: 'step-detail'}, step.detail) : null,
    step.nodeId && step.status === 'creating_workspace' ? h('span', {class: 'step-detail'}, 'on ' + step.nodeId) : null,
    h('time', {class: 'step-time', title: step.at}, time(step.at) + (offset ? ' (' + offset + ')' : '')));
}
