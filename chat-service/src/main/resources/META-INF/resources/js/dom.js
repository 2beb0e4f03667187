// Building DOM safely: text always goes in through textContent, attributes through an allow-list.
// Nothing in this app assigns innerHTML.

const SAFE_ATTRIBUTES = new Set(['class', 'id', 'type', 'name', 'value', 'placeholder', 'title', 'for', 'rows',
  'role', 'hidden', 'disabled', 'checked', 'required', 'autocomplete', 'open', 'colspan', 'start', 'tabindex', 'maxlength',
  'aria-label', 'aria-expanded', 'aria-live', 'data-role', 'data-seq', 'data-status', 'data-state',
  'data-option', 'data-kind', 'data-step', 'data-nav', 'data-session', 'data-project', 'data-testid', 'spellcheck']);

/**
 * h('div', {class: 'x', onclick: fn}, 'text', child, [more]) -> an element. Strings become text nodes;
 * null/false children are skipped; on* props become event listeners; href only via link().
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (SAFE_ATTRIBUTES.has(key)) {
        el.setAttribute(key, value === true ? '' : String(value));
      } else {
        throw new Error('attribute not allowed: ' + key);
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** A URL when it is absolute http(s), else null: javascript:, data:, relative tricks are refused. */
export function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A link that opens outside the app; an unsafe URL gives plain text instead. */
export function link(text, url, className) {
  const href = safeUrl(url);
  if (!href) return document.createTextNode(text);
  const a = document.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow';
  if (className) a.className = className;
  a.textContent = text;
  return a;
}

/** An in-app link (hash route). */
export function route(text, hash, className) {
  const a = document.createElement('a');
  a.href = '#' + hash.replace(/^#/, '');
  if (className) a.className = className;
  a.textContent = text;
  return a;
}

/** The last two segments of a path ("…/src/app.ts"); the full path is in the title attribute. */
export function shortPath(path) {
  const parts = String(path).split('/').filter(Boolean);
  return parts.length > 2 ? '…/' + parts.slice(-2).join('/') : String(path);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
}

export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleString([], {dateStyle: 'medium', timeStyle: 'short'});
}

/** "3 min ago" style age. */
export function age(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' d';
}

let toastTimer;
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
}
