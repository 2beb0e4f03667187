// The public API (docs/api.md) as the page calls it. Any 401 sends the user to sign-in.

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.field = body ? body.field : null;
  }

  /** The endpoint is not on this Handoff (yet): a route 404 or a 405, not "no such task". */
  get notAvailable() {
    return this.status === 405 || this.status === 501
      || (this.status === 404 && (!this.message || /^HTTP 404/.test(this.message)));
  }
}

export function signInPath() {
  const here = location.hash.replace(/^#/, '') || '/projects';
  return '#/signin?next=' + encodeURIComponent(here.startsWith('/signin') ? '/projects' : here);
}

export async function api(method, path, body) {
  const headers = {'Accept': 'application/json', 'X-Handoff-Client': 'web'};
  const init = {method, headers, credentials: 'same-origin'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, {message: 'Handoff is not reachable: ' + e.message});
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = {message: text.slice(0, 200)};
    }
  }
  if (response.status === 401 && !path.startsWith('/api/auth/')) {
    location.hash = signInPath();
    throw new ApiError(401, data || {message: 'sign in first'});
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const del = path => api('DELETE', path);
