// Handoff's web chat: a hash router over the pages. No framework, no build step.
import {clear, h} from './dom.js';
import {get, post, signInPath} from './api.js';
import * as signin from './pages/signin.js';
import * as projects from './pages/projects.js';
import * as chat from './pages/chat.js';
import * as settings from './pages/settings.js';

const ROUTES = [
  [/^\/signin$/, (root, p) => signin.render(root, p), null],
  [/^\/projects$/, root => projects.renderList(root), 'projects'],
  [/^\/projects\/([^/]+)\/edit$/, (root, p) => projects.renderEdit(root, p), 'projects', ['projectId']],
  [/^\/projects\/([^/]+)\/sessions\/([^/]+)$/, (root, p) => chat.render(root, p), 'projects',
    ['projectId', 'sessionId']],
  [/^\/projects\/([^/]+)$/, (root, p) => chat.render(root, p), 'projects', ['projectId']],
  [/^\/settings$/, root => settings.render(root), 'settings'],
];

let cleanup = null;

async function show() {
  const [path, query] = (location.hash.replace(/^#/, '') || '/projects').split('?');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  const root = document.getElementById('app');
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  clear(root);
  const match = ROUTES.find(([pattern]) => pattern.test(path));
  if (!match) {
    location.hash = '#/projects';
    return;
  }
  const [pattern, page, nav, names = []] = match;
  const groups = path.match(pattern).slice(1);
  names.forEach((name, i) => { params[name] = decodeURIComponent(groups[i]); });
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === nav));
  document.body.classList.toggle('signed-out-page', nav === null);
  document.title = 'Handoff';
  cleanup = await page(root, params);
}

async function showAccount() {
  const account = clear(document.getElementById('account'));
  try {
    const me = await get('/api/me');
    account.appendChild(h('span', {class: 'muted account-name', title: me.email}, me.name || me.email));
    account.appendChild(h('button', {class: 'btn btn-small btn-secondary', type: 'button', onclick: async () => {
      try { await post('/api/auth/logout'); } catch { /* signed out either way */ }
      location.hash = signInPath();
    }}, 'Sign out'));
  } catch {
    // No accounts on this Handoff yet (404), or signed out (401 already went to sign-in).
  }
}

window.addEventListener('hashchange', show);
window.addEventListener('handoff:signed-in', showAccount);
show();
if (!location.hash.startsWith('#/signin')) showAccount();
