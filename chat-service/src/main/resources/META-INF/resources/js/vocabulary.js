// Handoff's shared vocabulary as the server declares it (GET /api/vocabulary): the task statuses with what each
// means, the node sizes and permission policies a project may choose. The page keeps no copy of its own.
import {get} from './api.js';

let loading = null;

/** The vocabulary, fetched once per page load (again after a failed fetch). */
export function loadVocabulary() {
  if (!loading) {
    loading = get('/api/vocabulary').then(v => new Vocabulary(v)).catch(e => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

export class Vocabulary {
  constructor(view) {
    this.view = view;
    this.statuses = new Map(view.taskStatuses.map(s => [s.name, s]));
  }

  /** The first turn's steps in order, each {name, label, waitingLabel}. */
  firstTurnSteps() {
    return this.view.taskStatuses.filter(s => s.waitingLabel);
  }

  /** Something is under way for the task: not over, not idle between turns. */
  inFlight(status) {
    const s = this.statuses.get(status);
    return !!(s && s.inFlight);
  }

  /** A stop button may ask for the task's cancel now (not over, not being cancelled already). */
  cancellable(status) {
    const s = this.statuses.get(status);
    return !!(s && s.cancellable);
  }

  setback(status) {
    const s = this.statuses.get(status);
    return !!(s && s.setback);
  }

  label(status) {
    const s = this.statuses.get(status);
    return s ? s.label : statusLabel(status);
  }
}

/** A status as a pill shows it: its wire name in words ("turn ended"). */
export function statusLabel(status) {
  return (status || 'unknown').replace(/_/g, ' ');
}
