// The session's live connection: GET /api/sessions/{id}/stream (Server-Sent Events). The browser's EventSource
// reconnects by itself with Last-Event-ID (the last message revision it saw); when it gives up (an HTTP error),
// this opens a new one with ?after=<last revision>, so the page never misses a change. A new connection sends each
// changed message whole first (`message`), then only the text added to the agent's messages (`append`).
import {get} from './api.js';

export function openLive(sessionId, {after = 0, onMessage, onAppend, onTask, onState}) {
  let lastRevision = after;
  let source = null;
  let closed = false;
  let retryTimer = null;
  let retryDelay = 1000;

  function connect() {
    if (closed) return;
    source = new EventSource('/api/sessions/' + encodeURIComponent(sessionId) + '/stream?after=' + lastRevision);
    source.addEventListener('open', () => {
      retryDelay = 1000;
      onState('live');
    });
    source.addEventListener('message', event => {
      const message = JSON.parse(event.data);
      if (message.revision > lastRevision) lastRevision = message.revision;
      onMessage(message);
    });
    // Text added to an agent message this connection already sent (offset = the length sent so far).
    source.addEventListener('append', event => {
      const append = JSON.parse(event.data);
      if (append.revision > lastRevision) lastRevision = append.revision;
      onAppend(append);
    });
    source.addEventListener('task', event => onTask(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      if (closed) return;
      if (source.readyState === EventSource.CLOSED) {
        onState('offline');
        // Find out why (a 401 sends the user to sign-in), then try again with what we have.
        get('/api/sessions/' + encodeURIComponent(sessionId) + '/messages?limit=1').catch(() => {});
        clearTimeout(retryTimer);
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      } else {
        onState('reconnecting');
      }
    });
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      if (source) source.close();
    },
    get lastRevision() {
      return lastRevision;
    },
  };
}
