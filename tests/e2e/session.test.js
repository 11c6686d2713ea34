// The session layer (issue 14) in Chromium against the emulator, no mocked fetch: pages of one
// browser context share the origin's storage, Web Locks and BroadcastChannel, as tabs do. The
// package is the packed one the demo server serves at /pkg/ (see package.test.js).
//
// The suite runs twice: through the demo server's proxy with refresh-token custody against the
// strict emulator (the deployment: the refresh token lives in the proxy's HttpOnly cookie, which
// the tabs share), and directly against an emulator that serves browsers (the session stores
// the refresh token).
//
// Short-lived tokens come from the seed client `0oa-short-lived` (5 s access tokens, refresh
// tokens rotating on every use); with the margin capped at half a token's lifetime, a token
// is due for a refresh 2.5 s after it was issued.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DEMO_URL, DIRECT_EMULATOR_URL, EMULATOR_URL, PASSWORD, PROXY, emulator, launch, missing, resetEmulator, sleep,
} from './helpers.js';

const USER = 'password.only@example.com';
const SHORT = '0oa-short-lived';
const LONG = '0oa-demo-spa';
const DUE_MS = 2_700; // past half of a 5 s lifetime
/** okta-direct-auth-proxy's custody cookie (its default name). */
const CUSTODY_COOKIE = '__Secure-oda-refresh';

/** How the pages reach Okta: `base` is the emulator behind it (its test API, its log). */
const MODES = [
  { name: 'through the proxy, refresh-token custody', base: EMULATOR_URL, proxy: PROXY, custody: true },
  { name: 'directly, where Okta serves browsers', base: DIRECT_EMULATOR_URL, proxy: undefined, custody: false },
].map((m) => ({ ...m, issuer: `${m.base}/oauth2/default` }));

/** Pages of one context (tabs of one browser profile), with page errors collected. */
async function tabs(browser, n) {
  const context = await browser.newContext();
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
    page.setDefaultTimeout(20_000);
    await page.goto(`${DEMO_URL}/demo-config.json`);
    pages.push(page);
  }
  return { context, pages };
}

/**
 * Creates `window.session` in the page (storage `'custom'` = an app-supplied IndexedDB store),
 * recording its events in `window.events` as `type` or `remote:type`.
 */
function open(page, mode, { clientId = SHORT, storage = 'localStorage', lockTimeoutMs, timeoutMs } = {}) {
  return page.evaluate(async ({ issuer, proxy, clientId, storage, lockTimeoutMs, timeoutMs }) => {
    const m = await import('/pkg/index.js');
    let store = storage;
    if (storage === 'custom') {
      const db = () => new Promise((resolve, reject) => {
        const r = indexedDB.open('app-session', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('kv');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = async (mode, f) => {
        const t = (await db()).transaction('kv', mode);
        const q = f(t.objectStore('kv'));
        return new Promise((resolve, reject) => { t.oncomplete = () => resolve(q.result); t.onerror = () => reject(t.error); });
      };
      store = { get: (k) => tx('readonly', (s) => s.get(k)), set: (k, v) => tx('readwrite', (s) => s.put(v, k)), remove: (k) => tx('readwrite', (s) => s.delete(k)) };
    }
    const options = { issuer, proxy, clientId, scopes: ['openid', 'profile', 'offline_access'], storage: store };
    if (lockTimeoutMs !== undefined) options.lockTimeoutMs = lockTimeoutMs;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    window.m = m;
    window.key = `okta-direct-auth:${clientId}:${issuer}`;
    window.events = [];
    window.session = await m.Session.create(options);
    for (const t of ['signedIn', 'tokensRefreshed', 'signedOut', 'sessionEnded']) {
      window.session.on(t, (e) => window.events.push(`${e.remote ? 'remote:' : ''}${e.type}`));
    }
    return window.session.signedIn;
  }, { issuer: mode.issuer, proxy: mode.proxy, clientId, storage, lockTimeoutMs, timeoutMs });
}

function signIn(page, username = USER) {
  return page.evaluate(async ({ username, password }) => {
    const r = await window.session.auth.signInWithPassword({ username, password });
    const claims = await window.session.signIn(r);
    return { sub: claims.sub, accessToken: r.tokens.accessToken };
  }, { username, password: PASSWORD });
}

/** `getAccessToken()` in the page: the token, or the error's code. */
function accessToken(page) {
  return page.evaluate(() => window.session.getAccessToken().then((token) => ({ token }), (e) => ({ code: e.code, kind: e.kind })));
}

const state = (page) => page.evaluate(() => ({
  signedIn: window.session.signedIn,
  sub: window.session.claims?.sub,
  events: window.events,
  stored: localStorage.getItem(window.key),
}));

async function until(what, check, ms = 5_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function requestsSince(seq, base = EMULATOR_URL) {
  return (await emulator(`/requests?since=${seq}`, undefined, base)).requests;
}

const logSeq = async (base) => (await emulator('/requests', undefined, base)).seq;

const refreshes = (requests) => requests.filter((r) => r.grantType === 'refresh_token');

/** Someone else redeems a stolen refresh token at Okta (direct mode: the session stores it). */
async function refreshOutOfBand(mode, refreshToken, clientId = SHORT) {
  const r = await fetch(`${mode.base}/oauth2/default/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }),
  });
  return { status: r.status, body: await r.json() };
}

/**
 * Someone else redeems a stolen custody cookie: another browser with the cookie, on the app's
 * origin, asks the proxy for a refresh (the proxy supplies the refresh token from the cookie).
 */
async function redeemCookieElsewhere(browser, cookies, clientId = SHORT) {
  const context = await browser.newContext();
  try {
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(`${DEMO_URL}/demo-config.json`);
    return await page.evaluate(async ({ proxy, clientId }) => {
      const r = await fetch(`${proxy}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId }),
      });
      return { status: r.status, body: await r.json() };
    }, { proxy: PROXY, clientId });
  } finally {
    await context.close();
  }
}

const custodyCookies = async (context) => (await context.cookies()).filter((c) => c.name === CUSTODY_COOKIE);

async function userinfoStatus(mode, accessToken) {
  const r = await fetch(`${mode.base}/oauth2/default/v1/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  return r.status;
}

for (const mode of MODES) describe(`session, ${mode.name}`, { skip: missing('DEMO_URL', 'EMULATOR_URL', 'DIRECT_EMULATOR_URL'), timeout: 300_000 }, () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => { await resetEmulator(mode.base); });
  const since = (seq) => requestsSince(seq, mode.base);

  it('two tabs asking at the same moment near expiry: one refresh, the same new token for both', async () => {
    const { context, pages: [a, b] } = await tabs(browser, 2);
    await open(a, mode);
    assert.equal(await open(b, mode), false);
    const first = await signIn(a);
    await until('the other tab hears the sign-in', async () => (await state(b)).signedIn);
    assert.deepEqual((await state(b)).events, ['remote:signedIn']);
    assert.equal((await accessToken(b)).token, first.accessToken, 'a fresh token is handed out as is');

    await sleep(DUE_MS);
    const seq = await logSeq(mode.base);
    const [inA, inB] = await Promise.all([
      a.evaluate(() => Promise.all([window.session.getAccessToken(), window.session.getAccessToken()])),
      accessToken(b),
    ]);
    const log = await since(seq);
    assert.equal(refreshes(log).length, 1, `one refresh in ${JSON.stringify(log)}`);
    assert.equal(refreshes(log)[0].status, 200);
    assert.notEqual(inA[0], first.accessToken);
    assert.equal(inA[1], inA[0], 'single-flight in the tab');
    assert.equal(inB.token, inA[0], 'the tab that waited uses the token the other one got');
    assert.equal(await userinfoStatus(mode, inA[0]), 200);
    await until('one tab refreshed, the other heard it', async () => {
      const seen = [...(await state(a)).events, ...(await state(b)).events].filter((e) => e.endsWith('tokensRefreshed')).sort();
      return seen.length === 2 && seen[0] === 'remote:tokensRefreshed' && seen[1] === 'tokensRefreshed';
    });
    assert.deepEqual([...a.problems, ...b.problems], []);
    await context.close();
  });

  it('the tab holding the lock closes mid-refresh: the other recovers within the bound', async () => {
    const { context, pages: [a, b] } = await tabs(browser, 2);
    await open(a, mode);
    await open(b, mode, { lockTimeoutMs: 8_000 });
    await signIn(a);
    await sleep(DUE_MS);
    // The next /token answer is held for the emulator's slow delay (10 s).
    await emulator('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'slow', path: '/token', count: 1 }) }, mode.base);
    await a.evaluate(() => { window.pending = window.session.getAccessToken(); });
    await sleep(400); // A holds the lock, its refresh is in flight
    const waiting = accessToken(b);
    await sleep(200);
    const closed = Date.now();
    await a.close();
    const got = await waiting;
    const took = Date.now() - closed;
    assert.ok(got.token, JSON.stringify(got));
    assert.ok(took < 8_000, `recovered in ${took} ms, within the 8 s bound`);
    assert.equal(await userinfoStatus(mode, got.token), 200);
    const after = await state(b);
    assert.equal(after.signedIn, true);
    assert.equal(JSON.parse(after.stored).accessToken, got.token, 'the new tokens are stored');
    await context.close();
  });

  it('a frozen lock holder (it never releases): the waiter takes the lock over after the bound', async () => {
    const { context, pages: [frozen, b] } = await tabs(browser, 2);
    await open(b, mode, { lockTimeoutMs: 1_500 });
    const first = await signIn(b);
    await sleep(DUE_MS);
    await frozen.evaluate(async (issuer) => {
      await new Promise((held) => {
        navigator.locks.request(`okta-direct-auth:0oa-short-lived:${issuer}`, () => (held(), new Promise(() => {})));
      });
    }, mode.issuer);
    const seq = await logSeq(mode.base);
    const started = Date.now();
    const got = await accessToken(b);
    const took = Date.now() - started;
    assert.ok(got.token && got.token !== first.accessToken, JSON.stringify(got));
    assert.ok(took >= 1_400 && took < 6_000, `took ${took} ms (bound 1.5 s)`);
    assert.equal(refreshes(await since(seq)).length, 1);
    await context.close();
  });

  it('a reused (rotated-out) refresh token: every tab gets sessionEnded and holds no tokens', async () => {
    const { context, pages: [a, b] } = await tabs(browser, 2);
    await open(a, mode);
    await open(b, mode);
    await signIn(a);
    await until('B signed in', async () => (await state(b)).signedIn);
    // Someone else redeems the refresh token (the stored one, or the proxy's cookie copied to
    // another browser): Okta rotates it out.
    if (mode.custody) {
      assert.equal(JSON.parse((await state(a)).stored).refreshToken, undefined, 'custody: no refresh token stored');
      const stolen = await custodyCookies(context);
      assert.equal(stolen.length, 1);
      assert.equal((await redeemCookieElsewhere(browser, stolen)).status, 200);
    } else {
      const stolen = JSON.parse((await state(a)).stored).refreshToken;
      assert.ok(stolen);
      assert.equal((await refreshOutOfBand(mode, stolen)).status, 200);
    }
    await sleep(DUE_MS);
    const got = await accessToken(a);
    assert.deepEqual(got, { code: 'session_ended', kind: 'expired' });
    await until('B hears sessionEnded', async () => (await state(b)).events.includes('remote:sessionEnded'));
    for (const page of [a, b]) {
      const s = await state(page);
      assert.equal(s.signedIn, false);
      assert.equal(s.sub, undefined);
      assert.equal(s.stored, null, 'nothing stored');
    }
    assert.deepEqual(await accessToken(b), { code: 'not_signed_in', kind: 'input' });
    assert.ok((await state(a)).events.includes('sessionEnded'));
    await context.close();
  });

  for (const storage of ['sessionStorage', 'localStorage', 'custom']) {
    it(`storage ${storage}: the session round-trips across a reload`, async () => {
      const { context, pages: [page] } = await tabs(browser, 1);
      await open(page, mode, { clientId: LONG, storage });
      const first = await signIn(page);
      const token = (await accessToken(page)).token;
      assert.equal(token, first.accessToken);
      await page.reload();
      const seq = await logSeq(mode.base);
      assert.equal(await open(page, mode, { clientId: LONG, storage }), true, 'signed in after the reload');
      assert.equal(await page.evaluate(() => window.session.claims.sub), first.sub);
      assert.equal((await accessToken(page)).token, token, 'the stored token, not a refresh');
      assert.deepEqual(refreshes(await since(seq)), []);
      const where = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
      assert.deepEqual(where, { local: storage === 'localStorage' ? 1 : 0, session: storage === 'sessionStorage' ? 1 : 0 });
      await context.close();
    });
  }

  it('storage memory (the default): nothing in Web Storage or IndexedDB, nothing after a reload', async () => {
    const { context, pages: [page] } = await tabs(browser, 1);
    await page.evaluate(async ({ issuer, proxy }) => {
      const m = await import('/pkg/index.js');
      window.session = await m.Session.create({ issuer, proxy, clientId: '0oa-demo-spa', scopes: ['openid', 'profile', 'offline_access'] });
      window.events = [];
    }, { issuer: mode.issuer, proxy: mode.proxy });
    await signIn(page);
    assert.ok((await accessToken(page)).token);
    const traces = await page.evaluate(async () => ({
      local: localStorage.length, session: sessionStorage.length, idb: (await indexedDB.databases()).map((d) => d.name),
    }));
    assert.deepEqual(traces, { local: 0, session: 0, idb: [] });
    await page.reload();
    assert.equal(await open(page, mode, { clientId: LONG, storage: 'memory' }), false);
    assert.deepEqual(await accessToken(page), { code: 'not_signed_in', kind: 'input' });
    await context.close();
  });

  it('signOut() in one tab signs out the other; the emulator has revoked both tokens', async () => {
    const { context, pages: [a, b] } = await tabs(browser, 2);
    await open(a, mode, { clientId: LONG });
    await open(b, mode, { clientId: LONG });
    await signIn(a);
    await until('B signed in', async () => (await state(b)).signedIn);
    const stored = JSON.parse((await state(b)).stored);
    const cookies = await custodyCookies(context);
    assert.equal(cookies.length, mode.custody ? 1 : 0);
    const seq = await logSeq(mode.base);
    assert.deepEqual(await b.evaluate(() => window.session.signOut()), { revoked: true });
    await until('A hears signedOut', async () => (await state(a)).events.includes('remote:signedOut'));
    for (const page of [a, b]) {
      const s = await state(page);
      assert.equal(s.signedIn, false);
      assert.equal(s.stored, null);
    }
    assert.ok((await state(b)).events.includes('signedOut'));
    assert.deepEqual(await accessToken(a), { code: 'not_signed_in', kind: 'input' });
    // Custody: the access token by /v1/revoke through the proxy, the refresh token by the
    // proxy's own sign-out (POST /okta/session/end), which revokes it at Okta and clears the cookie.
    const revokes = (await since(seq)).filter((r) => r.path.endsWith('/v1/revoke'));
    assert.equal(revokes.length, 2, JSON.stringify(revokes));
    assert.ok(revokes.every((r) => r.status === 200));
    assert.equal(await userinfoStatus(mode, stored.accessToken), 401, 'the access token is revoked');
    const refreshed = mode.custody
      ? await redeemCookieElsewhere(browser, cookies, LONG)
      : await refreshOutOfBand(mode, stored.refreshToken, LONG);
    assert.deepEqual([refreshed.status, refreshed.body.error], [400, 'invalid_grant'], 'the refresh token is revoked');
    assert.deepEqual(await custodyCookies(context), [], 'no custody cookie left');
    await context.close();
  });

  it('signOut() with memory storage: each tab drops its own session', async () => {
    const { context, pages: [a, b] } = await tabs(browser, 2);
    await open(a, mode, { clientId: LONG, storage: 'memory' });
    await open(b, mode, { clientId: LONG, storage: 'memory' });
    await signIn(a);
    await signIn(b);
    await a.evaluate(() => window.session.signOut());
    await until('B hears signedOut', async () => (await state(b)).events.includes('remote:signedOut'));
    assert.equal((await state(b)).signedIn, false);
    assert.deepEqual(await accessToken(b), { code: 'not_signed_in', kind: 'input' });
    await context.close();
  });

  it('a forged ID token at sign-in is rejected with the verification error and nothing is stored', async () => {
    const { context, pages: [page] } = await tabs(browser, 1);
    await open(page, mode, { clientId: LONG });
    const { activeKid } = await emulator('/keys', undefined, mode.base);
    const forge = async (body) => (await emulator('/id-tokens', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: USER, ...body }),
    }, mode.base)).idToken;
    const cases = [
      [await forge({ signer: 'foreign' }), 'unknown_signing_key'],
      [await forge({ signer: 'foreign', header: { kid: activeKid } }), 'invalid_id_token_signature'],
      [await forge({ signer: 'active', claims: { iss: 'https://evil.example' } }), 'invalid_id_token_issuer'],
      [await forge({ signer: 'none' }), 'invalid_id_token_alg'],
      [await forge({ signer: 'hs256-public-key' }), 'invalid_id_token_alg'],
    ];
    for (const [idToken, code] of cases) {
      const out = await page.evaluate(async ({ username, password, idToken }) => {
        const r = await window.session.auth.signInWithPassword({ username, password });
        r.tokens.idToken = idToken;
        try {
          await window.session.signIn(r);
          return { stored: true };
        } catch (e) {
          return { code: e.code, kind: e.kind, isError: e instanceof window.m.DirectAuthError };
        }
      }, { username: USER, password: PASSWORD, idToken });
      assert.deepEqual(out, { code, kind: 'protocol', isError: true });
      const s = await state(page);
      assert.deepEqual([s.signedIn, s.stored, s.events], [false, null, []], code);
    }
    const notASignIn = await page.evaluate(() => window.session.signIn({ status: 'mfa_required', mfaToken: 'm' }).catch((e) => e.code));
    assert.equal(notASignIn, 'not_a_sign_in');
    await context.close();
  });

  it('works in a module worker (no window, no Web Storage)', async () => {
    const { context, pages: [page] } = await tabs(browser, 1);
    const out = await page.evaluate(async ({ issuer, proxy, username, password }) => {
      // A worker made from a blob: URL resolves no relative URL: the proxy's is absolute.
      const proxyUrl = proxy && `${location.origin}${proxy}`;
      const src = `
        import { Session } from '${location.origin}/pkg/index.js';
        onmessage = async ({ data }) => {
          try {
            const session = await Session.create({ issuer: data.issuer, proxy: data.proxy, clientId: '0oa-demo-spa', scopes: ['openid', 'offline_access'] });
            const claims = await session.signIn(await session.auth.signInWithPassword({ username: data.username, password: data.password }));
            const token = await session.getAccessToken();
            let local;
            try { await Session.create({ issuer: data.issuer, clientId: '0oa-demo-spa', storage: 'localStorage' }); } catch (e) { local = e.code; }
            postMessage({ sub: claims.sub, token: typeof token, local, signedOut: await session.signOut() });
          } catch (e) {
            postMessage({ error: String(e && (e.code || e.message)) });
          }
        };`;
      const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
      return new Promise((resolve) => {
        worker.onmessage = (ev) => resolve(ev.data);
        worker.onerror = (ev) => resolve({ error: ev.message });
        worker.postMessage({ issuer, proxy: proxyUrl, username, password });
      });
    }, { issuer: mode.issuer, proxy: mode.proxy, username: USER, password: PASSWORD });
    assert.ok(out.sub, JSON.stringify(out));
    assert.deepEqual({ ...out, sub: 'x' }, { sub: 'x', token: 'string', local: 'invalid_storage', signedOut: { revoked: true } });
    await context.close();
  });
});

describe('the demo page on a session', { skip: missing('DEMO_URL', 'EMULATOR_URL'), timeout: 120_000 }, () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  it('two tabs of the demo stay in step: a sign-in greets both, a reload keeps it, a sign-out leaves both', async () => {
    await resetEmulator();
    const { context, pages: [a, b] } = await tabs(browser, 2);
    for (const page of [a, b]) {
      await page.goto(`${DEMO_URL}/`);
      await page.waitForSelector('html[data-ready=true]');
    }
    await a.locator('#username').pressSequentially(USER);
    await a.keyboard.press('Enter');
    await a.locator('#step-method').getByRole('button', { name: /^Password/ }).click();
    await a.waitForSelector('#step-password:not([hidden])');
    await a.keyboard.type(PASSWORD);
    await a.keyboard.press('Enter');
    for (const page of [a, b]) {
      await page.waitForSelector('#step-done:not([hidden])');
      assert.equal(await page.locator('#heading').textContent(), 'Welcome, Pat');
      assert.equal(await page.locator('#verified').getAttribute('data-verified'), 'true');
    }
    await b.reload();
    await b.waitForSelector('#step-done:not([hidden])');
    const { seq } = await emulator('/requests');
    await b.getByRole('button', { name: 'Refresh tokens' }).click();
    await b.waitForFunction(() => /refreshed/.test(document.querySelector('#status')?.textContent ?? ''));
    await a.waitForFunction(() => /Another tab refreshed/.test(document.querySelector('#status')?.textContent ?? ''));
    assert.equal(refreshes(await requestsSince(seq)).length, 1);
    await a.getByRole('button', { name: 'Sign out' }).click();
    for (const page of [a, b]) {
      await page.waitForSelector('#step-username:not([hidden])');
      assert.match(await page.locator('#status').textContent(), /signed out/i);
    }
    assert.match(await b.locator('#status').textContent(), /in another tab/);
    assert.deepEqual([...a.problems, ...b.problems], []);
    await context.close();
  });
});
