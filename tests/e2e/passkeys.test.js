// Passkeys end to end: the SDK's passkey calls in Chromium against the emulator, with the
// DevTools Protocol's virtual authenticator (CDP `WebAuthn.*` through playwright-core) standing in
// for Touch ID or a security key. WebAuthn refuses IP addresses, so every page is opened on
// http://localhost:PORT (the demo server listens on 127.0.0.1, which `localhost` reaches; the
// emulator trusts the localhost twin of each page origin and issues rpId "localhost"). Every
// call goes through the demo server's proxy at /okta (the deployment).
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CLIENT_ID, DEMO_URL, EMULATOR_URL, PASSWORD, PROXY, emulator, launch, missing, newPage, resetEmulator, screenshot } from './helpers.js';

const skip = missing('DEMO_URL', 'EMULATOR_URL');
const LOCAL = DEMO_URL?.replace('://127.0.0.1:', '://localhost:');
const ISSUER = `${EMULATOR_URL}/oauth2/default`;
const WEBAUTHN = 'urn:okta:params:oauth:grant-type:webauthn';
const MFA_WEBAUTHN = 'urn:okta:params:oauth:grant-type:mfa-webauthn';
const ONE_FACTOR = 'password.only@example.com';
const TWO_FACTOR = 'mfa.otp@example.com';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const b64 = (buf) => Buffer.from(buf).toString('base64');

/** A virtual platform authenticator (user verification available and given) on the page's target. */
async function virtualAuthenticator(page, options = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...options,
    },
  });
  return { cdp, authenticatorId };
}

/**
 * A passkey for `login`: a fresh P-256 key, its public half enrolled with the emulator, its
 * private half (and user handle) put in the virtual authenticator as a discoverable credential.
 */
async function enrolPasskey({ cdp, authenticatorId }, login) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialId = randomBytes(16);
  const userHandle = Buffer.from(`uh:${login}`);
  await emulator(`/users/${login}/passkeys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      credentialId: b64url(credentialId),
      publicKey: b64url(publicKey.export({ type: 'spki', format: 'der' })),
      userHandle: b64url(userHandle),
      transports: ['internal'],
    }),
  });
  // CDP's binary members are standard base64 (Playwright's own credentials API uses base64url).
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: b64(credentialId),
      isResidentCredential: true,
      rpId: 'localhost',
      privateKey: b64(privateKey.export({ type: 'pkcs8', format: 'der' })),
      userHandle: b64(userHandle),
      signCount: 0,
    },
  });
  return b64url(credentialId);
}

/** A secure-context page on localhost, same origin as the package at /pkg/. */
async function openLocal(page) {
  await page.goto(`${LOCAL}/pkg/README.md`);
}

/**
 * Runs `body(sdk, auth)` in the page, with the package imported and a DirectAuth for `clientId`;
 * resolves to its result, or to `{ error: {kind, code, status, hint, description} }`.
 */
function inPage(page, body, { clientId = CLIENT_ID, arg = null } = {}) {
  return page.evaluate(
    async ({ body, issuer, proxy, clientId, arg }) => {
      const sdk = await import('/pkg/index.js');
      const auth = await sdk.DirectAuth.create({ issuer, proxy, clientId, scopes: ['openid', 'profile', 'email'] });
      // eslint-disable-next-line no-new-func
      const run = new Function('sdk', 'auth', 'arg', `return (${body})(sdk, auth, arg);`);
      try {
        return await run(sdk, auth, arg);
      } catch (e) {
        return { error: { kind: e.kind, code: e.code, status: e.status, hint: e.hint, description: e.description, name: e.name } };
      }
    },
    { body: body.toString(), issuer: ISSUER, proxy: PROXY, clientId, arg },
  );
}

async function requestsSince(seq) {
  const { requests } = await emulator(`/requests?since=${seq}`);
  return requests;
}

async function logSeq() {
  return (await emulator('/requests')).seq;
}

async function signCount(login) {
  const list = await emulator(`/users/${login}/passkeys`);
  return list[0].signCount;
}

function claims(idToken) {
  return JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString());
}

describe('passkeys through the SDK (virtual authenticator)', { skip }, () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    await resetEmulator();
    page = await newPage(browser);
    await openLocal(page);
  });
  afterEach(async () => {
    await page.context().close();
  });

  it('signs in with a passkey and a username, and the emulator stores the new counter', async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, ONE_FACTOR);
    const seq = await logSeq();
    const r = await inPage(page, async (_, auth, username) => auth.signInWithPasskey({ username }), { arg: ONE_FACTOR });
    assert.equal(r.status, 'success', JSON.stringify(r));
    assert.deepEqual(claims(r.tokens.idToken).amr, ['hwk']);
    assert.equal(claims(r.tokens.idToken).preferred_username, ONE_FACTOR);
    assert.ok((await signCount(ONE_FACTOR)) >= 1);
    const sent = await requestsSince(seq);
    assert.deepEqual(
      sent.filter((q) => q.path.endsWith('/primary-authenticate') || q.path.endsWith('/token')).map((q) => [q.path.split('/').pop(), q.status, q.grantType ?? null]),
      [['primary-authenticate', 200, null], ['token', 200, WEBAUTHN]],
    );
  });

  it('signs in with a discoverable passkey and no username', async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, ONE_FACTOR);
    const r = await inPage(page, async (_, auth) => auth.signInWithPasskey());
    assert.equal(r.status, 'success', JSON.stringify(r));
    assert.equal(claims(r.tokens.idToken).preferred_username, ONE_FACTOR);
  });

  it('verifies with a passkey as the second factor, through /challenge and through /primary-authenticate', async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, TWO_FACTOR);
    for (const endpoint of [undefined, 'primary-authenticate']) {
      const r = await inPage(
        page,
        async (_, auth, { username, password, endpoint }) => {
          const step = await auth.signInWithPassword({ username, password });
          if (step.status !== 'mfa_required') return { unexpected: step };
          const done = await auth.verifyWithPasskey({ mfaToken: step.mfaToken, endpoint });
          return { offered: step.supportedChallengeTypes, done };
        },
        { arg: { username: TWO_FACTOR, password: PASSWORD, endpoint } },
      );
      assert.ok(r.offered?.includes(MFA_WEBAUTHN), JSON.stringify(r));
      assert.equal(r.done?.status, 'success', JSON.stringify(r));
      assert.deepEqual(claims(r.done.tokens.idToken).amr, ['pwd', 'hwk', 'mfa']);
    }
  });

  it('a bogus signature is refused with invalid_grant', async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, ONE_FACTOR);
    await authenticator.cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: authenticator.authenticatorId, isBogusSignature: true });
    const r = await inPage(page, async (_, auth, username) => auth.signInWithPasskey({ username }), { arg: ONE_FACTOR });
    assert.equal(r.error?.kind, 'oauth', JSON.stringify(r));
    assert.equal(r.error.code, 'invalid_grant');
    assert.equal(r.error.description, 'None of the WebAuthn authenticators the user has enrolled for was able to validate the assertion');
    assert.match(r.error.hint, /start again/);
  });

  it('user verification required but not given: refused by the browser, and by the emulator when the UV flag lies', async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, ONE_FACTOR);
    // The authenticator answers without the UV flag: the emulator refuses (userVerification "required").
    await authenticator.cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: authenticator.authenticatorId, isBadUV: true });
    const refused = await inPage(page, async (_, auth, username) => auth.signInWithPasskey({ username }), { clientId: '0oa-passkey-uv', arg: ONE_FACTOR });
    assert.equal(refused.error?.code, 'invalid_grant', JSON.stringify(refused));
    // The user cannot be verified at all: the browser refuses (NotAllowedError), nothing reaches /token.
    await authenticator.cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: authenticator.authenticatorId, isBadUV: false });
    await authenticator.cdp.send('WebAuthn.setUserVerified', { authenticatorId: authenticator.authenticatorId, isUserVerified: false });
    const seq = await logSeq();
    const r = await inPage(
      page,
      async (_, auth, username) => {
        const timeout = AbortSignal.timeout(20_000);
        return auth.signInWithPasskey({ username, signal: timeout });
      },
      { clientId: '0oa-passkey-uv', arg: ONE_FACTOR },
    );
    assert.deepEqual([r.error?.kind, r.error?.code], ['passkey', 'passkey_not_allowed'], JSON.stringify(r));
    assert.match(r.error.hint, /no passkey/);
    assert.ok(!(await requestsSince(seq)).some((q) => q.path.endsWith('/token')), 'no /token request');
  });

  it('cancelling through the signal rejects with aborted and sends no /token request', async () => {
    const authenticator = await virtualAuthenticator(page, { automaticPresenceSimulation: false });
    await enrolPasskey(authenticator, ONE_FACTOR);
    const seq = await logSeq();
    const r = await inPage(
      page,
      async (_, auth, username) => {
        const controller = new AbortController();
        // The prompt waits for a touch that never comes; the user presses Cancel.
        setTimeout(() => controller.abort(), 1500);
        return auth.signInWithPasskey({ username, signal: controller.signal });
      },
      { arg: ONE_FACTOR },
    );
    assert.equal(r.error?.kind, 'aborted', JSON.stringify(r));
    const sent = await requestsSince(seq);
    assert.ok(sent.some((q) => q.path.endsWith('/primary-authenticate')), 'the challenge was asked for');
    assert.ok(!sent.some((q) => q.path.endsWith('/token')), `no /token request: ${JSON.stringify(sent)}`);
  });

  it('a replayed assertion is refused (the low-level calls, with the app running get() itself)', async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, ONE_FACTOR);
    const r = await inPage(
      page,
      async (sdk, _, { issuer, proxy, clientId, username }) => {
        const options = { issuer, proxy, clientId, scopes: ['openid'] };
        const challenge = await sdk.webauthnChallengeRequest(options, { username });
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(challenge.publicKey) });
        const assertion = credential.toJSON().response;
        const first = await sdk.webauthnGrant(options, assertion);
        try {
          await sdk.webauthnGrant(options, assertion);
          return { first, second: 'accepted' };
        } catch (e) {
          return { first, challengeType: challenge.challengeType, second: [e.kind, e.code, e.description] };
        }
      },
      { arg: { issuer: ISSUER, proxy: PROXY, clientId: CLIENT_ID, username: ONE_FACTOR } },
    );
    assert.equal(r.first?.status, 'success', JSON.stringify(r));
    assert.equal(r.challengeType, WEBAUTHN);
    assert.deepEqual(r.second, ['oauth', 'invalid_grant', 'There is no pending WebAuthn challenge for the request.']);
  });

  it('an RP ID of another domain (passkeys bound to okta.com) is the SecurityError mapping', async () => {
    await virtualAuthenticator(page);
    const seq = await logSeq();
    const r = await inPage(page, async (_, auth) => auth.signInWithPasskey(), { clientId: '0oa-passkey-okta-rp' });
    assert.deepEqual([r.error?.kind, r.error?.code], ['passkey', 'passkey_security_error'], JSON.stringify(r));
    assert.match(r.error.hint, /custom RP ID/);
    assert.match(r.error.hint, /okta\.com/);
    assert.ok(!(await requestsSince(seq)).some((q) => q.path.endsWith('/token')), 'no /token request');
  });
  it("adjusts Okta's options before get(): rpId from the issuer's host, transports from a JSON string, a cross-domain appid dropped", async () => {
    const authenticator = await virtualAuthenticator(page);
    await enrolPasskey(authenticator, ONE_FACTOR);
    // No rpId in the challenge: the SDK takes the issuer's host, here localhost (an IP would be refused).
    const localIssuer = ISSUER.replace('://127.0.0.1:', '://localhost:');
    const shaped = await page.evaluate(
      async ({ issuer, proxy, username }) => {
        const sdk = await import('/pkg/index.js');
        const options = { issuer, proxy, clientId: '0oa-passkey-okta-shape', scopes: ['openid', 'profile'] };
        const raw = await sdk.webauthnChallengeRequest(options, { username });
        const auth = await sdk.DirectAuth.create(options);
        try {
          return { raw: raw.publicKey, result: await auth.signInWithPasskey({ username }) };
        } catch (e) {
          return { raw: raw.publicKey, error: [e.kind, e.code, e.description] };
        }
      },
      { issuer: localIssuer, proxy: PROXY, username: ONE_FACTOR },
    );
    assert.equal(shaped.raw.rpId, undefined, 'Okta left rpId out');
    assert.equal(typeof shaped.raw.allowCredentials[0].transports, 'string', 'and sent transports as a string');
    assert.equal(shaped.result?.status, 'success', JSON.stringify(shaped));
    // An appid on another domain than the RP ID is dropped, so get() succeeds.
    const r = await inPage(page, async (_, auth, username) => auth.signInWithPasskey({ username }), { clientId: '0oa-passkey-appid', arg: ONE_FACTOR });
    assert.equal(r.status, 'success', JSON.stringify(r));
  });
});

/** The demo page on localhost, a passkey added for `login` the way a person does: on the phone panel. */
async function addPasskeyOnThePhone(page, login) {
  await page.goto(`${LOCAL}/`);
  await virtualAuthenticator(page);
  await page.waitForSelector('html[data-ready=true]');
  await page.waitForSelector('#phone-user option', { state: 'attached' });
  await page.locator('#phone-user').selectOption(login);
  await page.getByRole('button', { name: 'Add a passkey on this browser' }).click();
  await page.waitForFunction(() => document.querySelector('#passkey-status')?.textContent.includes('Passkey added'));
}

describe('the demo page: add a passkey on the phone, then sign in with it', { skip }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(() => resetEmulator());

  it('a person adds a passkey on this browser and signs in with it', async () => {
    const page = await newPage(browser);
    try {
      await addPasskeyOnThePhone(page, ONE_FACTOR);
      assert.ok((await emulator(`/users/${ONE_FACTOR}/passkeys`)).length === 1);

      // Sign in without typing a username: the discoverable passkey names the user.
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForSelector('#step-done:not([hidden])');
      assert.equal(await page.locator('#heading').textContent(), 'Welcome, Pat');
      await screenshot(page, 'passkey-signed-in');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });

  it('a passkey as the second factor after the password', async () => {
    const page = await newPage(browser);
    try {
      await addPasskeyOnThePhone(page, TWO_FACTOR);

      await page.locator('#username').fill(TWO_FACTOR);
      await page.keyboard.press('Enter');
      await page.waitForSelector('#step-method:not([hidden])');
      await page.locator('#step-method').getByRole('button', { name: /^Password/ }).click();
      await page.waitForSelector('#step-password:not([hidden])');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
      await page.locator('#step-method').getByRole('button', { name: /^Passkey/ }).click();
      await page.waitForSelector('#step-done:not([hidden])');
      assert.equal(await page.locator('#heading').textContent(), 'Welcome, Morgan');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
});
