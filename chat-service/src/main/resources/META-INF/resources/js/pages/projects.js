// Projects: the list with a create form (#/projects), and the edit form (#/projects/{id}/edit). A team's
// projects show the team's name; the form puts a new project (or moves a personal one) into one of the user's teams.
import {h, route, dateTime, clear} from '../dom.js';
import {get, post, put} from '../api.js';
import {loadVocabulary} from '../vocabulary.js';

export async function renderList(root) {
  const list = h('div', {class: 'project-list', 'data-testid': 'project-list'}, h('p', {class: 'muted'}, 'Loading…'));
  root.appendChild(h('div', {class: 'page'},
    h('div', {class: 'page-head'}, h('h1', null, 'Projects')),
    h('div', {class: 'two-col'}, list, projectForm(null, async body => {
      const project = await post('/api/projects', body);
      location.hash = '#/projects/' + project.id;
    }))));
  try {
    const projects = await get('/api/projects');
    clear(list);
    if (!projects.length) list.appendChild(h('p', {class: 'muted'}, 'No projects yet. Create one to start a chat.'));
    projects.forEach(p => list.appendChild(h('div', {class: 'card project-card', 'data-project': p.id},
      h('div', {class: 'project-name'}, route(p.name, '/projects/' + p.id),
        p.teamName ? h('span', {class: 'pill team-pill', 'data-testid': 'project-team', title: 'Shared with the team'},
          p.teamName) : null),
      h('div', {class: 'muted mono'}, p.repositoryUrl),
      h('div', {class: 'muted'}, 'branch ' + p.defaultBranch + ' · ' + p.defaultAgent + ' · created '
        + dateTime(p.createdAt)),
      h('div', {class: 'actions'}, route('Open chat', '/projects/' + p.id, 'btn btn-primary'),
        p.editable === false ? null : route('Edit', '/projects/' + p.id + '/edit', 'btn btn-secondary')))));
  } catch (e) {
    clear(list).appendChild(h('p', {class: 'form-error'}, e.notAvailable
      ? 'Listing projects is not available on this Handoff yet.' : e.message));
  }
}

export async function renderEdit(root, params) {
  const page = h('div', {class: 'page narrow'}, h('h1', null, 'Edit project'));
  root.appendChild(page);
  try {
    const project = await get('/api/projects/' + encodeURIComponent(params.projectId));
    page.appendChild(projectForm(project, async body => {
      await put('/api/projects/' + encodeURIComponent(project.id), body);
      location.hash = '#/projects/' + project.id;
    }));
  } catch (e) {
    page.appendChild(h('p', {class: 'form-error'}, e.message));
  }
}

/**
 * A choice from the shared vocabulary (GET /api/vocabulary), filled once it is loaded; until then the select holds
 * the project's current value (none: the server's default applies).
 */
function vocabularyField(label, name, current, choicesOf) {
  const select = h('select', {name}, current ? h('option', {value: current}, current) : h('option', {value: ''}, '…'));
  loadVocabulary().then(vocabulary => {
    const {choices, fallback} = choicesOf(vocabulary.view);
    clear(select);
    choices.forEach(choice => select.appendChild(h('option', {value: choice.name}, choice.label)));
    select.value = choices.some(choice => choice.name === current) ? current : fallback;
  }).catch(() => {});
  return h('label', null, label, select);
}

/** The project's permission policy: the agent's permission requests answered automatically, or shown as cards. */
function policyField(current) {
  return vocabularyField('When the agent asks permission', 'permissionPolicy', current,
    v => ({choices: v.permissionPolicies, fallback: v.defaultPermissionPolicy}));
}

/** The size of node a task of the project asks for (a warm node at least this big is reused). */
function sizeField(current) {
  return vocabularyField('Default node size', 'defaultNodeSize', current,
    v => ({choices: v.nodeSizes, fallback: v.defaultNodeSize}));
}

const AGENT_NAMES = {'claude-code': 'Claude Code', codex: 'Codex', 'gemini-cli': 'Gemini CLI'};

/**
 * The agent a task of the project runs, chosen from the agents this Handoff offers (GET /api/agents). Until they
 * are loaded the select holds the project's current agent (none: the server's default is chosen on create).
 */
function agentField(current) {
  const option = name => h('option', {value: name}, AGENT_NAMES[name] || name);
  const select = h('select', {name: 'defaultAgent', 'data-testid': 'agent-choice'},
    current ? option(current) : h('option', {value: ''}, 'Default'));
  get('/api/agents').then(agents => {
    clear(select);
    const names = agents.available || [];
    names.forEach(name => select.appendChild(option(name)));
    if (current && !names.includes(current)) select.appendChild(option(current));
    select.value = current || agents.defaultAgent;
  }).catch(() => {});
  return h('label', null, 'Default agent', select);
}

/**
 * Whose project it is: the user's own, or one of their teams' (every member sees it). A team's project stays in its
 * team, so the field is fixed when editing one.
 */
function teamField(project) {
  const select = h('select', {name: 'teamId', disabled: !!(project && project.teamId)},
    h('option', {value: ''}, 'Only me'));
  if (project && project.teamId) {
    select.appendChild(h('option', {value: project.teamId}, project.teamName || 'a team'));
    select.value = project.teamId;
  } else {
    get('/api/teams').then(teams => (teams || []).forEach(team =>
      select.appendChild(h('option', {value: team.id}, 'Team ' + team.name)))).catch(() => {});
  }
  return h('label', null, 'Shared with', select);
}

function projectForm(project, save) {
  const error = h('div', {class: 'form-error', role: 'alert'});
  const field = (label, name, attrs) => h('label', null, label,
    h('input', {name, value: project ? project[name] : null, ...attrs}));
  const form = h('form', {class: 'card project-form', onsubmit: async event => {
    event.preventDefault();
    error.textContent = '';
    form.querySelectorAll('.invalid').forEach(el => el.classList.remove('invalid'));
    const data = new FormData(form);
    const body = {name: data.get('name'), repositoryUrl: data.get('repositoryUrl'),
      defaultBranch: data.get('defaultBranch') || null, defaultAgent: data.get('defaultAgent') || null,
      permissionPolicy: data.get('permissionPolicy') || null, teamId: data.get('teamId') || null,
      defaultNodeSize: data.get('defaultNodeSize') || null};
    try {
      await save(body);
    } catch (e) {
      error.textContent = e.notAvailable ? 'Editing projects is not available on this Handoff yet.' : e.message;
      const input = e.field && form.querySelector('[name="' + CSS.escape(e.field) + '"]');
      if (input) input.classList.add('invalid');
    }
  }},
  h('h2', null, project ? project.name : 'New project'),
  field('Name', 'name', {required: true, maxlength: 200, placeholder: 'my-app'}),
  field('Repository URL', 'repositoryUrl', {required: true, placeholder: 'https://github.com/you/repo.git',
    spellcheck: 'false'}),
  field('Default branch', 'defaultBranch', {placeholder: 'main', spellcheck: 'false'}),
  agentField(project ? project.defaultAgent : null),
  sizeField(project ? project.defaultNodeSize : null),
  policyField(project ? project.permissionPolicy : null),
  teamField(project),
  error,
  h('div', {class: 'actions'}, h('button', {class: 'btn btn-primary', type: 'submit'},
    project ? 'Save' : 'Create project'),
  project ? route('Cancel', '/projects/' + project.id, 'btn btn-secondary') : null));
  return form;
}
