// Projects: the list with a create form (#/projects), and the edit form (#/projects/{id}/edit).
import {h, route, dateTime, clear} from '../dom.js';
import {get, post, put} from '../api.js';

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
      h('div', {class: 'project-name'}, route(p.name, '/projects/' + p.id)),
      h('div', {class: 'muted mono'}, p.repositoryUrl),
      h('div', {class: 'muted'}, 'branch ' + p.defaultBranch + ' · ' + p.defaultAgent + ' · created '
        + dateTime(p.createdAt)),
      h('div', {class: 'actions'}, route('Open chat', '/projects/' + p.id, 'btn btn-primary'),
        route('Edit', '/projects/' + p.id + '/edit', 'btn btn-secondary')))));
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

/** The project's permission policy: the agent's permission requests answered automatically, or shown as cards. */
function policyField(current) {
  const select = h('select', {name: 'permissionPolicy'},
    h('option', {value: 'allow'}, 'Allow automatically'),
    h('option', {value: 'ask'}, 'Ask me'));
  select.value = current === 'ask' ? 'ask' : 'allow';
  return h('label', null, 'When the agent asks permission', select);
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
      permissionPolicy: data.get('permissionPolicy') || null};
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
  field('Default agent', 'defaultAgent', {placeholder: 'claude-code', spellcheck: 'false'}),
  policyField(project ? project.permissionPolicy : 'allow'),
  error,
  h('div', {class: 'actions'}, h('button', {class: 'btn btn-primary', type: 'submit'},
    project ? 'Save' : 'Create project'),
  project ? route('Cancel', '/projects/' + project.id, 'btn btn-secondary') : null));
  return form;
}
