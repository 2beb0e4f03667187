// Sign-in: POST /api/auth/login {email, password}; the server sets the session cookie. When the server has a team
// sign-in provider (GET /api/auth/providers), a "Sign in with <provider>" button starts it at /auth/oidc/login;
// that flow comes back here with ?error=<message> when it did not sign the user in.
import {h} from '../dom.js';
import {get, post} from '../api.js';

export function render(root, params) {
  const next = params.next && params.next.startsWith('/') ? params.next : '/projects';
  const error = h('div', {class: 'form-error', role: 'alert', 'data-testid': 'signin-error'},
    params.error ? params.error : '');
  const providers = h('div', {class: 'signin-providers', hidden: true});
  const form = h('form', {class: 'card signin', onsubmit: async event => {
    event.preventDefault();
    error.textContent = '';
    const data = new FormData(form);
    try {
      await post('/api/auth/login', {email: data.get('email'), password: data.get('password')});
      location.hash = '#' + next;
      window.dispatchEvent(new Event('handoff:signed-in'));
    } catch (e) {
      if (e.status === 401) error.textContent = 'Wrong email or password.';
      else if (e.notAvailable) {
        error.textContent = 'Sign-in is not available on this Handoff: it answers without an account.';
        error.appendChild(h('div', null, h('a', {class: 'btn btn-secondary', href: '#' + next}, 'Continue')));
      } else error.textContent = e.message;
    }
  }},
  h('h1', null, 'Sign in to Handoff'),
  h('label', null, 'Email', h('input', {name: 'email', type: 'email', autocomplete: 'username', required: true})),
  h('label', null, 'Password', h('input', {name: 'password', type: 'password', autocomplete: 'current-password',
    required: true})),
  error,
  h('button', {class: 'btn btn-primary', type: 'submit'}, 'Sign in'),
  providers);
  root.appendChild(h('div', {class: 'center-page'}, form));
  form.querySelector('input').focus();
  showProviders(providers);
}

async function showProviders(providers) {
  let answer;
  try {
    answer = await get('/api/auth/providers');
  } catch {
    return; // an older Handoff without the endpoint: password sign-in only
  }
  const oidc = answer && answer.oidc;
  if (!oidc || typeof oidc.loginUrl !== 'string' || !oidc.loginUrl.startsWith('/auth/oidc/')) return;
  providers.appendChild(h('div', {class: 'signin-or'}, 'or'));
  providers.appendChild(h('button', {class: 'btn btn-secondary', type: 'button', 'data-testid': 'oidc-signin',
    onclick: () => location.assign(oidc.loginUrl)}, 'Sign in with ' + oidc.displayName));
  providers.hidden = false;
}
