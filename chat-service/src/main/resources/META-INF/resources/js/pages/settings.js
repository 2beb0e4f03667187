// Settings: write-only secrets, the caller's teams (create, add and remove members, leave), the caller's nodes,
// and (operators) the dead letters.
import {h, clear, age, dateTime, toast} from '../dom.js';
import {get, put, del, post} from '../api.js';

const SECRETS = [
  {name: 'anthropic_api_key', label: 'Anthropic API key'},
  {name: 'github_token', label: 'GitHub token'},
  {name: 'hetzner_token', label: 'Hetzner Cloud token'},
];

export function render(root) {
  root.appendChild(h('div', {class: 'page'},
    h('h1', null, 'Settings'),
    secretsSection(),
    modelEndpointsSection(),
    teamsSection(),
    nodesSection(),
    deadLettersSection()));
}

function section(title, hint, ...content) {
  return h('section', {class: 'card settings-section'}, h('h2', null, title),
    hint ? h('p', {class: 'muted'}, hint) : null, ...content);
}

function unavailable(e, what) {
  return h('p', {class: 'muted notice'}, e.notAvailable ? what + ' is not available on this Handoff yet.'
    : e.status === 403 ? 'Only operators can see this.' : e.message);
}

function secretsSection() {
  const status = new Map();
  const rows = SECRETS.map(secret => {
    const state = h('span', {class: 'muted small'}, '');
    status.set(secret.name, state);
    const input = h('input', {type: 'password', name: secret.name, autocomplete: 'off', placeholder: 'not shown',
      'aria-label': secret.label});
    const form = h('form', {class: 'secret-row', onsubmit: async event => {
      event.preventDefault();
      if (!input.value) return;
      try {
        await put('/api/settings/secrets/' + secret.name, {value: input.value});
        input.value = '';
        state.textContent = 'set just now';
        toast(secret.label + ' saved.');
      } catch (e) {
        state.textContent = e.notAvailable ? 'Saving secrets is not available on this Handoff yet.' : e.message;
      }
    }},
    h('label', {for: 'secret-' + secret.name}, secret.label), input, state,
    h('button', {class: 'btn btn-primary btn-small', type: 'submit'}, 'Save'),
    h('button', {class: 'btn btn-secondary btn-small', type: 'button', onclick: async () => {
      try {
        await del('/api/settings/secrets/' + secret.name);
        state.textContent = 'not set';
      } catch (e) {
        state.textContent = e.notAvailable ? 'Not available on this Handoff yet.' : e.message;
      }
    }}, 'Forget'));
    input.id = 'secret-' + secret.name;
    return form;
  });
  get('/api/settings/secrets').then(answer => {
    ((answer && answer.secrets) || []).forEach(s => {
      const state = status.get(s.name);
      if (state) state.textContent = 'set ' + dateTime(s.setAt || s.updatedAt || s.createdAt);
    });
  }).catch(() => {});
  return section('Secrets', 'Write-only: Handoff stores them and never shows them again.', rows);
}

// The agents whose model endpoint Handoff can set (contracts AgentModelEndpoints), beside their API keys.
const MODEL_ENDPOINTS = [
  {agent: 'claude-code', label: 'Anthropic base URL'},
  {agent: 'gemini-cli', label: 'Gemini base URL'},
];

/** The caller's model endpoint per agent: a gateway or proxy their agent talks to instead of the vendor's API. */
function modelEndpointsSection() {
  const inputs = new Map();
  const rows = MODEL_ENDPOINTS.map(endpoint => {
    const state = h('span', {class: 'muted small'}, '');
    const input = h('input', {type: 'url', name: 'model-endpoint-' + endpoint.agent, autocomplete: 'off',
      placeholder: 'the vendor\'s API', 'aria-label': endpoint.label, id: 'model-endpoint-' + endpoint.agent});
    inputs.set(endpoint.agent, {input, state});
    return h('form', {class: 'secret-row', onsubmit: async event => {
      event.preventDefault();
      try {
        await put('/api/settings/model-endpoints/' + endpoint.agent, {url: input.value});
        state.textContent = 'set just now';
        toast(endpoint.label + ' saved.');
      } catch (e) {
        state.textContent = e.message;
      }
    }},
    h('label', {for: 'model-endpoint-' + endpoint.agent}, endpoint.label), input, state,
    h('button', {class: 'btn btn-primary btn-small', type: 'submit'}, 'Save'),
    h('button', {class: 'btn btn-secondary btn-small', type: 'button', onclick: async () => {
      try {
        await del('/api/settings/model-endpoints/' + endpoint.agent);
        input.value = '';
        state.textContent = 'not set';
      } catch (e) {
        state.textContent = e.message;
      }
    }}, 'Forget'));
  });
  get('/api/settings/model-endpoints').then(answer => {
    ((answer && answer.modelEndpoints) || []).forEach(e => {
      const row = inputs.get(e.agent);
      if (row) {
        row.input.value = e.url;
        row.state.textContent = 'set ' + dateTime(e.setAt);
      }
    });
  }).catch(() => {});
  return section('Model endpoints', 'Where your agent sends its model requests, e.g. your company\'s model '
    + 'gateway; empty: the vendor\'s API (or this Handoff\'s default). Not a secret: keep the key above.', rows);
}

/** The user's teams: each with its members; owners add members by email and remove them; anyone may leave. */
function teamsSection() {
  const body = h('div', {'data-testid': 'teams'}, h('p', {class: 'muted'}, 'Loading…'));
  const error = h('div', {class: 'form-error', role: 'alert'});
  const act = async (work, field, form) => {
    error.textContent = '';
    if (form) form.querySelectorAll('.invalid').forEach(el => el.classList.remove('invalid'));
    try {
      await work();
      load();
    } catch (e) {
      error.textContent = e.notAvailable ? 'Teams are not available on this Handoff yet.' : e.message;
      const input = form && e.field && form.querySelector('[name="' + CSS.escape(e.field) + '"]');
      if (input) input.classList.add('invalid');
    }
  };
  const teamView = (team, me) => {
    const owner = team.role === 'owner';
    const path = '/api/teams/' + encodeURIComponent(team.id);
    const members = h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
      h('thead', null, h('tr', null, ['Member', 'Email', 'Role', ''].map(c => h('th', null, c)))),
      h('tbody', null, team.members.map(member => h('tr', {'data-testid': 'team-member'},
        h('td', null, member.name || ''),
        h('td', {class: 'mono'}, member.email || ''),
        h('td', null, member.role),
        h('td', null, owner || member.userId === me
          ? h('button', {class: 'btn btn-secondary btn-small', type: 'button', onclick: () => {
            const leaving = member.userId === me;
            if (!confirm(leaving ? 'Leave team ' + team.name + '?' : 'Remove ' + member.email + ' from ' + team.name
              + '? They lose its projects at once.')) return;
            act(() => del(path + '/members/' + encodeURIComponent(member.userId)));
          }}, member.userId === me ? 'Leave' : 'Remove') : null))))));
    const add = owner ? h('form', {class: 'inline-form', onsubmit: event => {
      event.preventDefault();
      const data = new FormData(add);
      act(() => post(path + '/members', {email: data.get('email'), role: data.get('role')}), null, add);
    }},
    h('input', {name: 'email', type: 'email', required: true, placeholder: 'colleague@example.com',
      'aria-label': 'Email of the member to add', autocomplete: 'off'}),
    h('select', {name: 'role', 'aria-label': 'Role'}, h('option', {value: 'member'}, 'member'),
      h('option', {value: 'owner'}, 'owner')),
    h('button', {class: 'btn btn-primary btn-small', type: 'submit'}, 'Add member')) : null;
    return h('div', {class: 'team', 'data-testid': 'team'},
      h('div', {class: 'team-head'}, h('h3', null, team.name), h('span', {class: 'pill'}, 'you: ' + team.role),
        owner ? h('button', {class: 'btn btn-danger btn-small', type: 'button', onclick: () => {
          if (!confirm('Delete team ' + team.name + '? Its projects go back to the members who created them.')) return;
          act(() => del(path));
        }}, 'Delete team') : null),
      members, add);
  };
  const load = async () => {
    try {
      const [me, teams] = await Promise.all([get('/api/me'), get('/api/teams')]);
      const full = await Promise.all(teams.map(team => get('/api/teams/' + encodeURIComponent(team.id))));
      clear(body);
      if (!full.length) body.appendChild(h('p', {class: 'muted'}, 'No teams yet.'));
      full.forEach(team => body.appendChild(teamView(team, me.id)));
    } catch (e) {
      clear(body).appendChild(unavailable(e, 'Teams'));
    }
  };
  const create = h('form', {class: 'inline-form', onsubmit: event => {
    event.preventDefault();
    const input = create.querySelector('input');
    act(async () => {
      await post('/api/teams', {name: input.value});
      input.value = '';
    }, null, create);
  }},
  h('input', {name: 'name', required: true, maxlength: 200, placeholder: 'Team name', 'aria-label': 'New team name'}),
  h('button', {class: 'btn btn-primary btn-small', type: 'submit'}, 'Create team'));
  load();
  return section('Teams', 'Members of a team see and work in its projects; secrets and nodes stay each user\'s own.',
    body, create, error);
}

function nodesSection() {
  const body = h('div', null, h('p', {class: 'muted'}, 'Loading…'));
  const load = async () => {
    try {
      const nodes = await get('/api/nodes');
      const list = Array.isArray(nodes) ? nodes : (nodes && nodes.nodes) || [];
      clear(body);
      if (!list.length) { body.appendChild(h('p', {class: 'muted'}, 'No nodes.')); return; }
      body.appendChild(h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
        h('thead', null, h('tr', null, ['Node', 'Status', 'Health', 'Size', 'Age', 'Cost so far', '']
          .map(c => h('th', null, c)))),
        h('tbody', null, list.map(node => h('tr', null,
          h('td', {class: 'mono'}, node.id || node.nodeId),
          h('td', null, h('span', {class: 'pill status-' + node.status}, node.status || '')),
          h('td', null, typeof node.health === 'object' && node.health ? node.health.status || JSON.stringify(node.health)
            : node.health ?? ''),
          h('td', null, node.size || ''),
          h('td', null, age(node.createdAt)),
          h('td', null, cost(node)),
          h('td', null, h('button', {class: 'btn btn-danger btn-small', type: 'button', onclick: async () => {
            if (!confirm('Delete node ' + (node.id || node.nodeId) + '?')) return;
            try {
              await del('/api/nodes/' + encodeURIComponent(node.id || node.nodeId));
              load();
            } catch (e) {
              toast(e.message);
            }
          }}, 'Delete'))))))));
    } catch (e) {
      clear(body).appendChild(unavailable(e, 'The nodes page'));
    }
  };
  load();
  return section('Nodes', 'The machines your agents run on.', body);
}

function cost(node) {
  const value = node.costSoFar ?? node.cost ?? node.costSoFarEur;
  if (value === undefined || value === null) return '';
  return typeof value === 'number' ? value.toFixed(2) + (node.currency ? ' ' + node.currency : ' €') : String(value);
}

function deadLettersSection() {
  const body = h('div', null, h('p', {class: 'muted'}, 'Loading…'));
  const load = async () => {
    try {
      const letters = await get('/api/ops/dead-letters');
      clear(body);
      if (!letters.length) { body.appendChild(h('p', {class: 'muted'}, 'No dead letters.')); return; }
      body.appendChild(h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
        h('thead', null, h('tr', null, ['At', 'Topic', 'Key', 'Reason', ''].map(c => h('th', null, c)))),
        h('tbody', null, letters.map(letter => h('tr', null,
          h('td', null, dateTime(letter.at)),
          h('td', {class: 'mono'}, letter.originalTopic || ''),
          h('td', {class: 'mono'}, letter.key || ''),
          h('td', null, h('details', null, h('summary', null, letter.reason || 'unknown'),
            h('pre', {class: 'code'}, h('code', null, letter.value || '')))),
          h('td', null, h('button', {class: 'btn btn-secondary btn-small', type: 'button', onclick: async () => {
            try {
              await post('/api/ops/dead-letters/' + letter.partition + '/' + letter.offset + '/replay');
              toast('Replayed.');
              load();
            } catch (e) {
              toast(e.message);
            }
          }}, 'Replay'))))))));
    } catch (e) {
      clear(body).appendChild(unavailable(e, 'The dead-letter view'));
    }
  };
  load();
  return section('Dead letters', 'Operators: records no consumer could process.', body);
}
