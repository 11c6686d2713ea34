// The demo login page (www/), driven the way a person uses it: type the username, pick a
// factor, read the code or the number off the simulated phone beside the form, approve or
// deny there. One Chromium for the whole file; a fresh context per test.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import {
  DEMO_URL, EMULATOR_URL, PASSWORD, advanceClock, emulator, launch, missing, newPage, resetEmulator, screenshot, sleep,
} from './helpers.js';

const skip = missing('DEMO_URL', 'EMULATOR_URL');

// ---- the page, as a person sees it ------------------------------------------------------------

async function open(page, query = '') {
  await page.goto(`${DEMO_URL}/${query}`);
  await page.waitForSelector('html[data-ready=true]');
  await page.waitForSelector('#phone-user option', { state: 'attached' }); // the phone knows the demo users
}

async function enterUsername(page, login) {
  await page.locator('#username').pressSequentially(login);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#step-method:not([hidden])');
  // The phone follows the username typed.
  assert.equal(await page.locator('#phone-user').inputValue(), login);
}

function method(page, name) {
  return page.locator('#step-method').getByRole('button', { name });
}

async function enterPassword(page, password = PASSWORD) {
  await method(page, /^Password/).click();
  await page.waitForSelector('#step-password:not([hidden])');
  assert.equal(await focusedId(page), 'password');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
}

function waitForText(page, selector, text) {
  return page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, text]);
}

function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

/** The current code of the phone's authenticator app (waits for a fresh one near a step change). */
async function totpFromPhone(page) {
  const code = page.locator('#totp .totp-code');
  await code.waitFor();
  const left = Number(await page.locator('#totp .ring text').textContent());
  if (left <= 3) await sleep((left + 1.5) * 1000);
  return (await code.textContent()).replace(/\s+/g, '');
}

/** The code of the newest SMS / voice message in the phone's inbox. */
async function codeFromInbox(page, channel) {
  const msg = page.locator(`#inbox .msg[data-channel=${channel}]`).first();
  await msg.waitFor();
  return (await msg.locator('.msg-code').textContent()).trim();
}

async function typeCode(page, code) {
  await page.waitForSelector('#step-code:not([hidden])');
  assert.equal(await focusedId(page), 'code');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

async function pushCard(page) {
  const card = page.locator('#pushes [data-push-id]').first();
  await card.waitFor();
  return card;
}

async function expectSignedIn(page, firstName) {
  await page.waitForSelector('#step-done:not([hidden])');
  assert.equal(await page.locator('#heading').textContent(), `Welcome, ${firstName}`);
  await page.waitForSelector('#verified[data-verified]');
  assert.equal(await page.locator('#verified').getAttribute('data-verified'), 'true',
    await page.locator('#verified').textContent());
  assert.ok(await page.locator('#claims dd[data-claim=sub]').textContent());
  assert.equal(await page.locator('#claims dd[data-claim=aud]').textContent(), '0oa-demo-spa');
  assert.equal(await page.locator('#claims dd[data-claim=iss]').textContent(), `${EMULATOR_URL}/oauth2/default`);
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('#step-username:not([hidden])');
  assert.match(await page.locator('#status').textContent(), /signed out/i);
}

async function expectError(page, kind, code) {
  const error = page.locator('#error');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-kind'), kind, await error.textContent());
  if (code) assert.equal(await error.getAttribute('data-code'), code);
  assert.ok((await page.locator('#error-hint').textContent()).length > 0, 'the error shows its hint');
  assert.match(await page.locator('#error-meta').textContent(), new RegExp(`kind: ${kind}`));
}

/** `/token` requests the page makes from now on (URLs). */
function watchTokenRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/v1/token') && r.method() === 'POST') seen.push(r.url());
  });
  return seen;
}

// ---- the flows --------------------------------------------------------------------------------

describe('demo login page', { skip, timeout: 300_000 }, () => {
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
  });
  afterEach(async () => {
    const problems = page.problems;
    await page.context().close();
    assert.deepEqual(problems, [], 'no page errors or console errors');
  });

  it('OTP as the only factor: a wrong code shows an inline error, the right one signs in, sign out revokes', async () => {
    await open(page);
    assert.equal(await focusedId(page), 'username');
    await screenshot(page, '01-username');
    await enterUsername(page, 'otp.only@example.com');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('method')), true);
    await screenshot(page, '02-choose-method');

    await method(page, /authenticator app/).click();
    const right = await totpFromPhone(page);
    const wrong = right === '000000' ? '111111' : '000000';
    await typeCode(page, wrong);
    await expectError(page, 'oauth', 'invalid_grant');
    assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'code', 'focus stays on the code to retype it');
    await screenshot(page, '03-wrong-otp');

    await page.keyboard.type(await totpFromPhone(page)); // the wrong code is selected: typing replaces it
    await page.keyboard.press('Enter');
    await expectSignedIn(page, 'Olive');
    assert.equal(await page.locator('#error').isHidden(), true);
    await screenshot(page, '04-signed-in');

    const revokes = [];
    page.on('response', (r) => { if (r.url().endsWith('/v1/revoke')) revokes.push(r.status()); });
    await signOut(page);
    assert.ok(revokes.length >= 1 && revokes.every((s) => s === 200), `revoke answered ${revokes}`);
  });

  it('password, then OTP', async () => {
    await open(page);
    await enterUsername(page, 'mfa.otp@example.com');
    await method(page, /^Password/).click();
    await page.waitForSelector('#step-password:not([hidden])');
    await screenshot(page, '05-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
    assert.equal(await method(page, /^Password/).isHidden(), true, 'no password as the second factor');
    await screenshot(page, '06-second-factor');
    await method(page, /authenticator app/).click();
    await typeCode(page, await totpFromPhone(page));
    await expectSignedIn(page, 'Morgan');

    const before = await page.locator('#token-info dd[data-claim=access_token]').textContent();
    await page.getByRole('button', { name: 'Refresh tokens' }).click();
    await waitForText(page, '#status', 'Tokens refreshed');
    assert.notEqual(await page.locator('#token-info dd[data-claim=access_token]').textContent(), before, 'a new access token');
  });

  it('a wrong password shows an inline error and keeps the person on the password step', async () => {
    await open(page);
    await enterUsername(page, 'mfa.otp@example.com');
    await method(page, /^Password/).click();
    await page.waitForSelector('#step-password:not([hidden])');
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Enter');
    await expectError(page, 'oauth', 'invalid_grant');
    assert.equal(await page.locator('#step-password').isVisible(), true);
    assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');
  });

  it('password, then push: approved on the phone', async () => {
    await open(page);
    await enterUsername(page, 'mfa.push@example.com');
    await enterPassword(page);
    await method(page, /Push notification/).click();
    await page.waitForSelector('#step-push:not([hidden])');
    assert.equal(await page.locator('#push-number').isHidden(), true, 'no number without number challenge');
    const card = await pushCard(page);
    assert.match(await page.locator('#countdown').textContent(), /^[0-9]+:[0-5][0-9]$/);
    await screenshot(page, '07-push-waiting');
    await card.getByRole('button', { name: /Yes, it.s me/ }).click();
    await expectSignedIn(page, 'Max');
  });

  it('password, then push with number challenge: the number shown large is tapped on the phone', async () => {
    await open(page);
    await enterUsername(page, 'mfa.number@example.com');
    await enterPassword(page);
    await method(page, /Push notification/).click();
    await page.waitForSelector('#step-push:not([hidden])');
    const number = (await page.locator('#push-number-value').textContent()).trim();
    assert.match(number, /^\d+$/);
    const fontSize = await page.locator('#push-number-value').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(fontSize >= 48, `the number is shown large (${fontSize}px)`);
    const card = await pushCard(page);
    const choices = await card.locator('[data-number]').allTextContents();
    assert.equal(choices.length, 3);
    assert.ok(choices.includes(number), `the phone offers ${choices}, the page shows ${number}`);
    await screenshot(page, '08-number-challenge');
    await card.getByRole('button', { name: number, exact: true }).click();
    await expectSignedIn(page, 'Nina');
  });

  it('password, then SMS; then voice', async () => {
    await open(page);
    await enterUsername(page, 'mfa.phone@example.com');
    await enterPassword(page);
    await method(page, /Text message/).click();
    await page.waitForSelector('#step-code:not([hidden])');
    const sms = await codeFromInbox(page, 'sms');
    await screenshot(page, '09-sms-code');
    await typeCode(page, sms);
    await expectSignedIn(page, 'Phil');
    await signOut(page);

    await page.locator('#username').fill('');
    await enterUsername(page, 'mfa.phone@example.com');
    await enterPassword(page);
    await method(page, /Voice call/).click();
    await typeCode(page, await codeFromInbox(page, 'voice'));
    await expectSignedIn(page, 'Phil');
  });

  it('SMS and voice as the only factor', async () => {
    await open(page);
    await enterUsername(page, 'phone.only@example.com');
    await method(page, /Voice call/).click();
    await typeCode(page, await codeFromInbox(page, 'voice'));
    await expectSignedIn(page, 'Paula');
    await signOut(page);

    await enterUsername(page, 'phone.only@example.com');
    await method(page, /Text message/).click();
    const code = await codeFromInbox(page, 'sms');
    // A wrong code first: inline error, then the right one.
    await typeCode(page, code === '000000' ? '111111' : '000000');
    await expectError(page, 'oauth', 'invalid_grant');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await expectSignedIn(page, 'Paula');
  });

  it('push as the only factor: denied on the phone, then approved', async () => {
    await open(page);
    await enterUsername(page, 'push.only@example.com');
    await method(page, /Push notification/).click();
    let card = await pushCard(page);
    await card.getByRole('button', { name: /not me/ }).click();
    await page.waitForSelector('#step-method:not([hidden])');
    await expectError(page, 'denied');
    await screenshot(page, '10-push-denied');

    await method(page, /Push notification/).click();
    await page.waitForSelector('#step-push:not([hidden])');
    card = await pushCard(page);
    await card.getByRole('button', { name: /Yes, it.s me/ }).click();
    await expectSignedIn(page, 'Pete');
  });

  it('cancel while a push waits: polling stops at once and the person picks again', async () => {
    await open(page);
    await enterUsername(page, 'push.only@example.com');
    const tokenRequests = watchTokenRequests(page);
    await method(page, /Push notification/).click();
    await pushCard(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('#step-method:not([hidden])');
    assert.match(await page.locator('#status').textContent(), /cancelled/i);
    assert.equal(await page.locator('#error').isHidden(), true, 'cancelling is not an error');
    await screenshot(page, '11-push-cancelled');
    const before = tokenRequests.length;
    await sleep(6_000); // longer than the polling interval
    assert.equal(tokenRequests.length, before, 'no /token poll after cancel');
  });

  it('alex: every second factor is offered after the password', async () => {
    await open(page);
    await enterUsername(page, 'alex@example.com');
    await enterPassword(page);
    for (const name of [/authenticator app/, /Push notification/, /Text message/, /Voice call/]) {
      assert.equal(await method(page, name).isVisible(), true);
    }
    await method(page, /authenticator app/).click();
    await typeCode(page, await totpFromPhone(page));
    await expectSignedIn(page, 'Alex');
  });

  it('the deployment: every Okta call goes through the proxy at /okta, which keeps the refresh token in an HttpOnly cookie', async () => {
    await open(page);
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    assert.equal(await page.getByRole('switch', { name: /same-origin proxy/ }).isChecked(), true, 'the proxy is the default');
    await waitForText(page, '#endpoint-info', `${DEMO_URL}/okta/oauth2/default/v1/token`);
    await enterUsername(page, 'otp.only@example.com');
    await method(page, /authenticator app/).click();
    await typeCode(page, await totpFromPhone(page));
    await expectSignedIn(page, 'Olive');
    await screenshot(page, '12-proxy-signed-in');

    const okta = urls.filter((u) => /\/oauth2\/default\/v1\//.test(u));
    assert.ok(okta.some((u) => u === `${DEMO_URL}/okta/oauth2/default/v1/token`), `token via proxy: ${okta}`);
    assert.ok(okta.some((u) => u.startsWith(`${DEMO_URL}/okta/oauth2/default/v1/keys`)), `keys via proxy: ${okta}`);
    assert.deepEqual(okta.filter((u) => u.startsWith(EMULATOR_URL)), [], 'nothing straight to the emulator');
    // Custody: the page never sees the refresh token; the proxy's cookie holds it, out of reach of scripts.
    await waitForText(page, '#token-info', 'held by the proxy (HttpOnly cookie)');
    const cookies = await page.context().cookies();
    const custody = cookies.find((c) => c.name === '__Secure-oda-refresh');
    assert.ok(custody, `cookies: ${cookies.map((c) => c.name)}`);
    assert.deepEqual([custody.httpOnly, custody.secure, custody.sameSite, custody.path], [true, true, 'Strict', '/okta']);
    assert.equal(await page.evaluate(() => document.cookie), '');
    const stored = await page.evaluate(() => Object.values(localStorage).join(' '));
    assert.doesNotMatch(stored, /refreshToken"/, 'no refresh token in storage');

    // Signing out ends the proxy's session too: the cookie is gone.
    await signOut(page);
    assert.equal((await page.context().cookies()).some((c) => c.name === '__Secure-oda-refresh'), false);
  });

  it("the direct switch: the page calls Okta itself, Okta refuses the grant from a browser, the error says to use the proxy", async () => {
    await open(page);
    await page.getByRole('switch', { name: /same-origin proxy/ }).uncheck();
    await waitForText(page, '#endpoint-info', `${EMULATOR_URL}/oauth2/default/v1/token`);
    await enterUsername(page, 'otp.only@example.com');
    await method(page, /authenticator app/).click();
    await typeCode(page, await totpFromPhone(page));
    await expectError(page, 'oauth', 'unauthorized_client');
    assert.match(await page.locator('#error-hint').textContent(), /okta-direct-auth-proxy/);
    await screenshot(page, '13-direct-refused');

    // The choice is remembered (localStorage) and can be switched back.
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    assert.equal(await page.getByRole('switch', { name: /same-origin proxy/ }).isChecked(), false);
    await page.getByRole('switch', { name: /same-origin proxy/ }).check();
    await waitForText(page, '#endpoint-info', `${DEMO_URL}/okta/oauth2/default/v1/token`);
  });

  it('a 502 HTML page (a proxy in front of Okta) and a 429 show their kind and hint inline', async () => {
    await open(page);
    await enterUsername(page, 'mfa.otp@example.com');
    await method(page, /^Password/).click();
    await page.waitForSelector('#step-password:not([hidden])');
    await emulator('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'html', count: 1, path: '/token' }) });
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await expectError(page, 'protocol');
    assert.match(await page.locator('#error-meta').textContent(), /HTTP 502/);
    await screenshot(page, '14-protocol-error');

    await emulator('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'rate_limit', count: 1, path: '/token' }) });
    await page.locator('#password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await expectError(page, 'rate_limited');
    assert.match(await page.locator('#error-meta').textContent(), /HTTP 429/);

    await page.locator('#password').fill(PASSWORD); // faults used up: it goes through
    await page.keyboard.press('Enter');
    await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
  });

  it('a push that expires while waiting starts over with an inline error', async () => {
    await open(page);
    await enterUsername(page, 'push.only@example.com');
    await method(page, /Push notification/).click();
    await pushCard(page);
    // Move the emulator's clock past the oob_code's lifetime; the next poll hears 403 access_denied.
    await advanceClock(301);
    try {
      await page.waitForSelector('#step-username:not([hidden])', { timeout: 20_000 });
      await expectError(page, 'expired');
      await screenshot(page, '15-push-expired');
    } finally {
      await advanceClock(-301);
    }
  });

  it('narrow screen: the form comes first, the phone below', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page);
    const form = await page.locator('.card').boundingBox();
    const phone = await page.locator('#phone').boundingBox();
    assert.ok(phone.y > form.y + form.height, 'phone below the form');
    assert.ok(form.width <= 390, 'no horizontal overflow');
    await screenshot(page, '13-narrow');
  });
});
