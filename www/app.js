// The demo login page: every Okta Direct Authentication flow, the way a company's own
// login form would run it, with the okta-direct-auth package served at /pkg/.
import { DirectAuth, DirectAuthError, Session } from '/pkg/index.js';
import { installNetlog } from './netlog.js';
import { Phone } from './phone.js';
import { installAddPasskey } from './passkeys.js';

const $ = (id) => document.getElementById(id);
const STEPS = ['step-username', 'step-method', 'step-password', 'step-code', 'step-push', 'step-new-password', 'step-done'];
const CHANNEL_NAMES = { push: 'Okta Verify', sms: 'text message', voice: 'voice call', email: 'email' };

/** `GET /demo-config.json`: {emulator, issuer, clientId, proxyIssuerPath}. */
const config = await fetch('/demo-config.json', { cache: 'no-store' }).then((r) => r.json());

/** Everything about the sign-in in progress. */
const flow = {
  username: '',
  mfaToken: null, // set after `mfa_required`: the rest is a second factor
  challenge: null, // the OobChallenge being completed
  codeMode: null, // 'otp' | 'mfa-otp' | 'oob'
  controller: null, // aborts the push wait
  tokens: null,
  recovering: false, // "Forgot password?": the factor proves who it is, then a new password
  recoveryToken: null, // the recovery's access token, for replacePassword
};

// ---------------------------------------------------------------------------------------------
// The client, created anew when the proxy toggle changes.

const proxyToggle = $('proxy-toggle');
// With custody on (`cargo xtask demo`: the deployment) the page goes through the proxy unless
// told otherwise; the switch off calls Okta directly, which Okta refuses (and the SDK says why).
const proxyChoice = localStorage.getItem('demo.proxy');
proxyToggle.checked = new URLSearchParams(location.search).has('proxy') || proxyChoice === '1' || (proxyChoice === null && config.proxyCustody === true);
let auth = null; // the last DirectAuth created, for showing its endpoints
let session = null; // its Session: keeps the verified sign-in, refreshes, signs out every tab
let authPromise = null;
let authProxy = null;

function options(proxy) {
  const o = {
    issuer: config.issuer,
    clientId: config.clientId,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
  };
  if (proxy) {
    // okta-direct-auth-proxy, mounted by the demo server: the SDK's `proxy` option routes every
    // endpoint to the mount + the issuer's path; the issuer stays the emulator's.
    o.proxy = new URL(config.proxyIssuerPath.replace(/\/oauth2\/[^/]+\/?$/, ''), location.origin).href.replace(/\/$/, '');
  }
  return o;
}

/**
 * The DirectAuth for the current toggle state (one `create` per state, shared by callers): the
 * `auth` of a Session kept in localStorage, so every tab of the demo shares the sign-in.
 */
function client() {
  const proxy = proxyToggle.checked;
  if (!authPromise || authProxy !== proxy) {
    authProxy = proxy;
    session?.close();
    authPromise = Session.create({ ...options(proxy), storage: 'localStorage' }).then(
      (s) => {
        session = s;
        auth = s.auth;
        listen(s);
        showEndpoints();
        return auth;
      },
      (e) => {
        authPromise = null;
        throw e;
      },
    );
  }
  return authPromise;
}

function showEndpoints() {
  const token = auth?.endpoints?.token ?? `${config.issuer}/v1/token`;
  $('endpoint-info').textContent = `token endpoint: ${token}`;
}

// Password recovery runs on the org authorization server (the emulator's base URL): Okta mints
// the okta.myAccount.* scopes only there, and MyAccount itself lives on the org.
let recoveryPromise = null;
let recoveryProxy = null;

function recoveryOptions(proxy) {
  // The same proxy as the sign-in: it routes the org server's endpoints and MyAccount's
  // password endpoint to its mount as well.
  const o = { issuer: config.emulator.replace(/\/$/, ''), clientId: config.clientId };
  if (proxy) o.proxy = options(true).proxy;
  return o;
}

function recoveryClient() {
  const proxy = proxyToggle.checked;
  if (!recoveryPromise || recoveryProxy !== proxy) {
    recoveryProxy = proxy;
    recoveryPromise = DirectAuth.create(recoveryOptions(proxy)).catch((e) => {
      recoveryPromise = null;
      throw e;
    });
  }
  return recoveryPromise;
}

/** The client a factor step uses, and the intent it adds: a recovery's, or the sign-in's. */
const factorClient = () => (flow.recovering ? recoveryClient() : client());
const intent = () => (flow.recovering ? { intent: 'recovery' } : {});

proxyToggle.addEventListener('change', () => {
  localStorage.setItem('demo.proxy', proxyToggle.checked ? '1' : '0');
  client().catch(showError);
});

const emulatorOrigin = new URL(config.issuer).origin;
const proxyPrefix = new URL(config.proxyIssuerPath, location.origin).href;
installNetlog((url) => (url.startsWith(emulatorOrigin) && !url.includes('/__emulator/')) || url.startsWith(proxyPrefix));

// ---------------------------------------------------------------------------------------------
// Screen helpers

function showStep(id, { title, subtitle, focus } = {}) {
  for (const s of STEPS) $(s).hidden = s !== id;
  if (title) $('heading').textContent = title;
  if (subtitle !== undefined) $('subtitle').textContent = subtitle;
  const named = id !== 'step-username' && id !== 'step-done' && flow.username;
  $('user-chip').hidden = !named;
  if (named) {
    $('user-chip-name').textContent = flow.username;
    $('user-chip-avatar').textContent = initials(flow.username);
  }
  const candidates = $(id).querySelectorAll('input:not([type=hidden]):not([tabindex="-1"]), .method');
  const target = focus ?? [...candidates].find((c) => c.offsetParent !== null) ?? $('heading');
  target.focus();
}

/** The polite live region; `quiet` keeps it for screen readers only (the screen already shows it). */
function setStatus(text, kind = '') {
  $('status').textContent = text;
  $('status').className = `status ${kind}`;
}

function clearError() {
  $('error').hidden = true;
  for (const i of document.querySelectorAll('[aria-invalid]')) {
    i.removeAttribute('aria-invalid');
    const ids = (i.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== 'error');
    if (ids.length) i.setAttribute('aria-describedby', ids.join(' '));
    else i.removeAttribute('aria-describedby');
  }
}

/** What a person reads first, per error kind (the SDK's own message and hint follow). */
const TITLES = {
  oauth: 'That didn’t work',
  passkey: 'The passkey didn’t work',
  denied: 'Sign-in request denied',
  expired: 'That took too long',
  rate_limited: 'Too many attempts',
  network: 'Can’t reach the sign-in service',
  timeout: 'The sign-in service did not answer',
  aborted: 'Cancelled',
  protocol: 'Unexpected answer from the sign-in service',
  config: 'This page is misconfigured',
  input: 'Check what you entered',
  password: 'Choose another password',
};

/** A problem found before anything was sent (empty field). */
function localError(title, detail, input) {
  showError(null, input);
  $('error-title').textContent = title;
  $('error-detail').textContent = detail;
  $('error').dataset.kind = 'local';
}

/** Shows an error inline, marking `input` invalid (and selecting it for a retype). */
function showError(e, input) {
  const known = e instanceof DirectAuthError;
  $('error-title').textContent = known ? TITLES[e.kind] ?? 'Sign-in failed' : 'Something went wrong';
  $('error-detail').textContent = known ? e.description ?? e.message : String(e?.message ?? e);
  $('error-hint').textContent = known && e.hint ? e.hint : '';
  $('error-meta').textContent = known
    ? [`kind: ${e.kind}`, `code: ${e.code}`, e.status ? `HTTP ${e.status}` : null, e.oktaErrorCode, e.retryAfter != null ? `retry in ${e.retryAfter} s` : null]
        .filter(Boolean)
        .join(' · ')
    : '';
  $('error').dataset.kind = known ? e.kind : 'unknown';
  $('error').dataset.code = known ? e.code : '';
  $('error').hidden = false;
  if (!known && e) console.error(e);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const ids = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
    ids.add('error');
    input.setAttribute('aria-describedby', [...ids].join(' '));
    input.focus();
    input.select?.();
  }
}

/** Runs `fn` with the form's submit button busy; errors land inline. */
async function busy(button, fn, input) {
  clearError();
  setStatus('');
  const region = button.closest('form, section');
  button.disabled = true;
  button.dataset.busy = 'true';
  region?.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } catch (e) {
    onFailure(e, input);
  } finally {
    button.disabled = false;
    delete button.dataset.busy;
    region?.removeAttribute('aria-busy');
  }
}

/** Where a failure leaves the person: retry in place, pick another factor, or start over. */
function onFailure(e, input) {
  if (e instanceof DirectAuthError && e.kind === 'expired') {
    restart();
    showError(e);
    return;
  }
  showError(e, input);
}

function initials(s) {
  const name = String(s).split('@')[0].split(/[._\s-]+/).filter(Boolean);
  return ((name[0]?.[0] ?? '?') + (name[1]?.[0] ?? '')).toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// 1. Username

const phone = new Phone(config.emulator, {
  onSelect(login) {
    if (!$('step-username').hidden) $('username').value = login;
  },
});

$('step-username').addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearError();
  const input = $('username');
  const username = input.value.trim();
  if (!username) {
    localError('Username required', 'Enter your username to continue.', input);
    return;
  }
  flow.username = username;
  flow.mfaToken = null;
  $('password-username').value = username;
  phone.follow(username);
  chooseMethod();
});

$('username').addEventListener('input', () => phone.follow($('username').value));

// Passkeys: the username when one is typed, else a discoverable passkey (passkeys.js).
installAddPasskey(phone, config.emulator);
$('passkey-signin').addEventListener('click', (ev) => {
  const username = $('username').value.trim();
  busy(ev.currentTarget, async () => {
    clearError();
    flow.username = username;
    flow.mfaToken = null;
    const a = await client();
    await handleResult(await a.signInWithPasskey(username ? { username } : {}));
  });
});

function restart() {
  flow.controller?.abort();
  Object.assign(flow, { mfaToken: null, challenge: null, codeMode: null, controller: null, recovering: false, recoveryToken: null });
  clearError();
  setStatus('');
  showStep('step-username', { title: 'Sign in', subtitle: 'Use your Acme work account.' });
}

$('change-user').addEventListener('click', restart);

// ---------------------------------------------------------------------------------------------
// 2. Choosing a factor (first, or second after `mfa_required`)

function chooseMethod() {
  if (flow.recovering) {
    chooseRecoveryMethod();
    return;
  }
  const second = flow.mfaToken !== null;
  for (const li of $('methods').children) li.hidden = second && li.dataset.method === 'password';
  $('method-legend').textContent = second ? 'Choose a second factor' : 'Choose how to verify';
  showStep('step-method', second
    ? { title: 'Verify it’s you', subtitle: 'Your password was right. One more step.' }
    : { title: 'Sign in', subtitle: '' });
}

for (const b of document.querySelectorAll('[data-action=other-method]')) {
  b.addEventListener('click', () => {
    clearError();
    setStatus('');
    chooseMethod();
  });
}

$('step-method').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const button = ev.submitter;
  const method = button?.value;
  if (method === 'password') {
    $('password').value = '';
    clearError();
    showStep('step-password', { title: 'Enter your password', subtitle: '' });
  } else if (method === 'otp') {
    clearError();
    askForCode(flow.mfaToken ? 'mfa-otp' : 'otp');
  } else if (method === 'passkey') {
    busy(button, async () => {
      const a = await client();
      const r = flow.mfaToken ? await a.verifyWithPasskey({ mfaToken: flow.mfaToken }) : await a.signInWithPasskey({ username: flow.username });
      await handleResult(r);
    });
  } else if (method) {
    busy(button, () => startOob(method));
  }
});

// ---------------------------------------------------------------------------------------------
// 3a. Password

$('show-password').addEventListener('click', () => {
  const p = $('password');
  const show = p.type === 'password';
  p.type = show ? 'text' : 'password';
  $('show-password').textContent = show ? 'Hide' : 'Show';
  $('show-password').setAttribute('aria-pressed', String(show));
});

$('step-password').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('password');
  if (!input.value) {
    localError('Password required', 'Enter your password to continue.', input);
    return;
  }
  busy(ev.submitter ?? $('step-password').querySelector('[type=submit]'), async () => {
    const a = await client();
    const result = await a.signInWithPassword({ username: flow.username, password: input.value });
    input.value = '';
    await handleResult(result);
  }, input);
});

// ---------------------------------------------------------------------------------------------
// 3b. Codes: authenticator app (first or second factor), SMS / voice

function askForCode(mode, channel) {
  flow.codeMode = mode;
  $('code').value = '';
  $('resend').hidden = mode !== 'oob';
  const texts = {
    otp: ['Enter a code', 'Open your authenticator app and enter the code it shows for Acme.', 'Code from your authenticator app'],
    'mfa-otp': ['Enter a code', 'Open your authenticator app and enter the code it shows for Acme.', 'Code from your authenticator app'],
    oob: channel === 'voice'
      ? ['Answer the call', 'We’re calling your phone. Enter the code you hear.', 'Code from the voice call']
      : channel === 'email'
        ? ['Check your email', 'We sent a code to your email address. Enter it below.', 'Code from the email']
        : ['Check your phone', 'We sent a code by text message. Enter it below.', 'Code from the text message'],
  }[mode];
  $('code-label').textContent = texts[2];
  $('code-help').textContent = mode === 'oob' && flow.challenge
    ? `The code is valid until ${new Date(flow.challenge.expiresAt).toLocaleTimeString()}.`
    : 'The code changes every 30 seconds.';
  showStep('step-code', { title: texts[0], subtitle: texts[1] });
}

$('step-code').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('code');
  const code = input.value.replace(/\s+/g, '');
  if (!/^\d{4,10}$/.test(code)) {
    localError('Enter the code', 'The code is made of digits only.', input);
    return;
  }
  busy(ev.submitter ?? $('step-code').querySelector('[type=submit]'), async () => {
    const a = await factorClient();
    let result;
    if (flow.codeMode === 'otp') result = await a.signInWithOtp({ username: flow.username, otp: code, ...intent() });
    else if (flow.codeMode === 'mfa-otp') result = await a.verifyMfaOtp({ mfaToken: flow.mfaToken, otp: code });
    else result = await a.verifyOob(flow.challenge, { bindingCode: code });
    await handleResult(result);
  }, input);
});

$('resend').addEventListener('click', () => busy($('resend'), () => startOob(flow.challenge.channel)));

// ---------------------------------------------------------------------------------------------
// 3c. Out-of-band: push (wait, maybe show the number) or SMS / voice (ask for the code)

async function startOob(channel) {
  const a = await factorClient();
  const ch = flow.mfaToken
    ? await a.challenge({ mfaToken: flow.mfaToken, channel })
    : await a.startOob({ username: flow.username, channel, ...intent() });
  flow.challenge = ch;
  if (ch.bindingMethod === 'prompt') {
    askForCode('oob', ch.channel);
    setStatus(`Code sent by ${CHANNEL_NAMES[ch.channel] ?? ch.channel}.`);
    return;
  }
  await waitForPush(a, ch);
}

async function waitForPush(a, ch) {
  const transfer = ch.bindingMethod === 'transfer';
  $('push-number').hidden = !transfer;
  $('push-number-value').textContent = transfer ? ch.bindingCode ?? '' : '';
  $('push-message').textContent = transfer
    ? 'Open Okta Verify on your phone and tap the number shown above.'
    : 'We sent a push notification to Okta Verify on your phone. Approve it to continue.';
  showStep('step-push', {
    title: transfer ? 'Match the number' : 'Check Okta Verify',
    subtitle: '',
    focus: $('heading'),
  });
  setStatus(transfer ? `Tap ${ch.bindingCode} in Okta Verify.` : 'Push sent. Waiting for your approval…', 'quiet');

  const controller = new AbortController();
  flow.controller = controller;
  const total = Math.max(1, ch.expiresAt - Date.now());
  const tick = () => {
    const left = Math.max(0, ch.expiresAt - Date.now());
    const s = Math.ceil(left / 1000);
    $('countdown').textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    $('countdown').setAttribute('datetime', `PT${s}S`);
    $('countdown-bar').style.width = `${(100 * left) / total}%`;
  };
  tick();
  const timer = setInterval(tick, 1000);
  try {
    const result = await a.waitForApproval(ch, {
      signal: controller.signal,
      // The SDK's own view of the time left, after each `authorization_pending` (kept for tests).
      onPending: (secondsLeft) => { $('countdown').dataset.sdkSecondsLeft = String(secondsLeft); },
    });
    await handleResult(result);
  } catch (e) {
    if (flow.controller !== controller) return; // superseded (restart, new username)
    chooseMethod(); // leave the waiting screen whatever happened
    if (e instanceof DirectAuthError && e.kind === 'aborted') {
      setStatus('Push cancelled. Choose how to verify.');
      return;
    }
    throw e; // shown inline (an expired code starts over)
  } finally {
    clearInterval(timer);
    if (flow.controller === controller) flow.controller = null;
  }
}

$('cancel-push').addEventListener('click', () => {
  $('cancel-push').disabled = true;
  flow.controller?.abort();
  setTimeout(() => { $('cancel-push').disabled = false; }, 300);
});

// ---------------------------------------------------------------------------------------------
// After each grant: signed in, or a second factor is needed

async function handleResult(result) {
  if (flow.recovering && result.status === 'success') {
    askForNewPassword(result.tokens);
    return;
  }
  if (result.status === 'mfa_required') {
    flow.mfaToken = result.mfaToken;
    chooseMethod();
    setStatus('Password accepted. Now verify with a second factor.', 'quiet');
    return;
  }
  // Greets only once the session has verified the ID token (signature and claims).
  await client();
  const claims = await session.signIn(result);
  signedIn(result.tokens, claims);
}

function signedIn(tokens, claims) {
  flow.tokens = tokens;
  flow.challenge = null;
  const name = claims.name ?? claims.preferred_username ?? flow.username;
  $('done-avatar').textContent = initials(name);
  $('done-name').textContent = String(name);
  $('done-email').textContent = String(claims.email ?? claims.preferred_username ?? '');
  renderClaims(claims);
  renderTokens(tokens);
  $('refresh').hidden = !tokens.refreshToken && tokens.refreshTokenCustody !== 'proxy';
  const verified = $('verified');
  verified.className = 'verified ok';
  verified.textContent = `✓ ID token verified: RS256 signature, issuer, audience and lifetime (sub ${claims.sub}).`;
  verified.dataset.verified = 'true';
  showStep('step-done', { title: `Welcome, ${String(name).split(' ')[0]}`, subtitle: 'You are signed in.', focus: $('heading') });
  setStatus('Signed in.', 'quiet');
}

/** The session as stored (signed in earlier, or in another tab): its record is the tokens. */
function fromStore() {
  const stored = JSON.parse(localStorage.getItem(`okta-direct-auth:${config.clientId}:${config.issuer}`) ?? 'null');
  if (session?.signedIn && stored) signedIn(stored, session.claims);
}

/** Keeps this tab in step with the others (and with this tab's own session). */
function listen(s) {
  s.on('signedIn', (e) => { if (e.remote) fromStore(); });
  s.on('tokensRefreshed', (e) => {
    if (!e.remote) return;
    fromStore();
    setStatus(`Another tab refreshed the tokens at ${new Date().toLocaleTimeString()}.`, 'ok');
  });
  const out = (text) => (e) => {
    flow.tokens = null;
    restart();
    setStatus(e.remote ? `${text} in another tab.` : `${text}.`, e.type === 'sessionEnded' ? 'error' : 'ok');
  };
  s.on('signedOut', out('You have signed out. Your tokens were revoked'));
  s.on('sessionEnded', out('Your session ended (the refresh token was refused)'));
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'auth_time', 'nbf']);

function renderClaims(claims) {
  const rows = [];
  for (const [k, v] of Object.entries(claims)) {
    let text = Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (TIME_CLAIMS.has(k) && typeof v === 'number') text = `${v} · ${new Date(v * 1000).toLocaleTimeString()}`;
    rows.push(dtdd(k, text));
  }
  $('claims').replaceChildren(...rows.flat());
}

function renderTokens(t) {
  const short = (s) => (s ? `${s.slice(0, 12)}…${s.slice(-6)}` : '—');
  $('token-info').replaceChildren(
    ...dtdd('token_type', t.tokenType),
    ...dtdd('scope', t.scope ?? '—'),
    ...dtdd('access_token', short(t.accessToken)),
    ...dtdd('expires', `${new Date(t.expiresAt).toLocaleTimeString()} (in ${t.expiresIn} s)`),
    ...dtdd('refresh_token', t.refreshToken ? short(t.refreshToken) : t.refreshTokenCustody === 'proxy' ? 'held by the proxy (HttpOnly cookie)' : 'none'),
  );
}

function dtdd(k, v) {
  const dt = document.createElement('dt');
  dt.textContent = k;
  const dd = document.createElement('dd');
  dd.textContent = v;
  dd.dataset.claim = k;
  return [dt, dd];
}

$('refresh').addEventListener('click', () => busy($('refresh'), async () => {
  await client();
  await session.getAccessToken({ forceRefresh: true }); // rotation: the session stores the new refresh token
  fromStore();
  setStatus(`Tokens refreshed at ${new Date().toLocaleTimeString()}.`, 'ok');
}));

$('sign-out').addEventListener('click', () => busy($('sign-out'), async () => {
  await client();
  $('username').value = '';
  await session.signOut(); // revokes both tokens; every tab hears `signedOut` (listen above)
}));

// ---------------------------------------------------------------------------------------------
// "Forgot password?": a recovery factor (the same factor screens, with `intent: 'recovery'`),
// then the new password (`replacePassword`), then back to the password step to sign in with it.

$('forgot-password').addEventListener('click', () => {
  clearError();
  setStatus('');
  flow.recovering = true;
  flow.mfaToken = null;
  chooseMethod();
});

function chooseRecoveryMethod() {
  for (const li of $('methods').children) li.hidden = li.dataset.method === 'password';
  $('method-legend').textContent = 'Choose how to verify it’s you';
  showStep('step-method', { title: 'Reset your password', subtitle: 'Verify it’s you, then choose a new password.' });
}

function askForNewPassword(tokens) {
  flow.recoveryToken = tokens.accessToken;
  flow.challenge = null;
  $('new-password').value = '';
  $('new-password-username').value = flow.username;
  showStep('step-new-password', { title: 'Choose a new password', subtitle: 'It replaces your old password at once.' });
  setStatus('Verified. Now choose a new password.', 'quiet');
}

function backToPassword() {
  Object.assign(flow, { recovering: false, recoveryToken: null, challenge: null, codeMode: null });
  $('password').value = '';
  showStep('step-password', { title: 'Enter your password', subtitle: '' });
}

$('step-new-password').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('new-password');
  if (!input.value) {
    localError('New password required', 'Enter the password you want to use.', input);
    return;
  }
  busy(ev.submitter ?? $('step-new-password').querySelector('[type=submit]'), async () => {
    const a = await recoveryClient();
    await a.replacePassword({ accessToken: flow.recoveryToken, password: input.value });
    input.value = '';
    backToPassword();
    setStatus('Your password was changed. Sign in with your new password.', 'ok');
  }, input);
});

$('cancel-recovery').addEventListener('click', () => {
  clearError();
  backToPassword();
});

// ---------------------------------------------------------------------------------------------
// Start

showEndpoints();
phone.start();
$('username').focus();
client().then(fromStore, showError); // load the wasm while the person types; a stored session greets at once
document.documentElement.dataset.ready = 'true';
