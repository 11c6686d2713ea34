// The "Requests to Okta" panel: wraps window.fetch to list what the SDK sends (method, path,
// grant or channel) and what comes back (status, OAuth `error`). Demo only: a real page has
// no reason to do this.

const list = document.getElementById('netlog-list');
const count = document.getElementById('netlog-count');
let n = 0;

/** Starts logging the requests for which `shouldLog(url)` is true. */
export function installNetlog(shouldLog) {
  const original = window.fetch;
  window.fetch = async function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!shouldLog(url)) return original.call(this, input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const item = add(method, url, await describeBody(input, init));
    try {
      const response = await original.call(this, input, init);
      let error = '';
      if (!response.ok) {
        try {
          const body = await response.clone().json();
          error = body.error ?? body.errorCode ?? '';
        } catch { /* not JSON */ }
      }
      settle(item, response.status, error);
      return response;
    } catch (e) {
      settle(item, 0, e?.name === 'AbortError' ? 'aborted' : 'failed');
      throw e;
    }
  };
}

/** The form fields worth showing (never secrets). */
async function describeBody(input, init) {
  let text = '';
  try {
    if (init?.body != null) text = String(init.body);
    else if (input instanceof Request && input.method !== 'GET') text = await input.clone().text();
  } catch { return ''; }
  const form = new URLSearchParams(text);
  const grant = form.get('grant_type');
  const parts = [];
  if (grant) parts.push(grant.replace(/^.*[:/]/, ''));
  if (form.get('channel_hint')) parts.push(form.get('channel_hint'));
  if (form.get('token_type_hint')) parts.push(form.get('token_type_hint'));
  return parts.join(' · ');
}

function add(method, url, what) {
  const u = new URL(url, location.href);
  const li = document.createElement('li');
  const path = u.origin === location.origin ? u.pathname : `${u.host}${u.pathname}`;
  li.textContent = `${method} ${path}${what ? ` (${what})` : ''} → `;
  const st = document.createElement('span');
  st.className = 'st-pending';
  st.textContent = '…';
  li.append(st);
  li.dataset.url = u.href;
  list.prepend(li);
  count.textContent = String(++n);
  return st;
}

function settle(st, status, error) {
  st.textContent = status ? `${status}${error ? ` ${error}` : ''}` : error;
  st.className = status >= 200 && status < 300 ? 'st-ok' : error === 'authorization_pending' ? 'st-pending' : 'st-err';
}
