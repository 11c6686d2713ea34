// The demo login page's "Forgot password?" and email flows, driven the way a person uses them:
// the code arrives on the simulated phone (an email shows as a mail), the new password is set,
// and the person signs in with it. One Chromium for the whole file; a fresh context per test.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DEMO_URL, PASSWORD, launch, missing, newPage, resetEmulator, screenshot } from './helpers.js';

const skip = missing('DEMO_URL', 'EMULATOR_URL');
// The page goes through the demo server's proxy (the default there); MyAccount's password
// endpoint too.

async function open(page) {
  await page.goto(`${DEMO_URL}/`);
  await page.waitForSelector('html[data-ready=true]');
  await page.waitForSelector('#phone-user option', { state: 'attached' });
}

async function enterUsername(page, login) {
  await page.locator('#username').fill(login);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#step-method:not([hidden])');
}

function method(page, name) {
  return page.locator('#step-method').getByRole('button', { name });
}

/** The code of the newest message on `channel` in the phone's inbox, once there are more than `seen`. */
async function codeFromInbox(page, channel, seen = 0) {
  const messages = page.locator(`#inbox .msg[data-channel=${channel}]`);
  await page.waitForFunction(([c, n]) => document.querySelectorAll(`#inbox .msg[data-channel=${c}]`).length > n, [channel, seen]);
  return (await messages.first().locator('.msg-code').textContent()).trim();
}

async function typeCode(page, code) {
  await page.waitForSelector('#step-code:not([hidden])');
  await page.locator('#code').fill(code);
  await page.keyboard.press('Enter');
}

async function typePassword(page, password) {
  await page.waitForSelector('#step-password:not([hidden])');
  await page.locator('#password').fill(password);
  await page.keyboard.press('Enter');
}

async function expectSignedIn(page, firstName) {
  await page.waitForSelector('#step-done:not([hidden])');
  assert.equal(await page.locator('#heading').textContent(), `Welcome, ${firstName}`);
  await page.waitForSelector('#verified[data-verified]');
  assert.equal(await page.locator('#verified').getAttribute('data-verified'), 'true');
}

async function setNewPassword(page, password) {
  await page.waitForSelector('#step-new-password:not([hidden])');
  await page.locator('#new-password').fill(password);
  await page.keyboard.press('Enter');
}

async function expectError(page, kind, code) {
  const error = page.locator('#error');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-kind'), kind, await error.textContent());
  assert.equal(await error.getAttribute('data-code'), code);
  assert.ok((await page.locator('#error-hint').textContent()).length > 0, 'the error shows its hint');
}

/** MyAccount requests the page makes from now on: method and URL. */
function watchMyAccount(page) {
  const seen = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/idp/myaccount/password')) seen.push(`${r.method()} ${r.url()}`);
  });
  return seen;
}

describe('demo: forgot password and email', { skip, timeout: 300_000 }, () => {
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

  it('forgot password → email code → a refused then an accepted new password → sign in with it', async () => {
    const login = 'recovery.user@example.com';
    const requests = watchMyAccount(page);
    await open(page);
    await enterUsername(page, login);
    await method(page, /^Password/).click();
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.waitForSelector('#step-method:not([hidden])');
    assert.equal(await page.locator('#heading').textContent(), 'Reset your password');
    assert.equal(await page.locator('#methods li[data-method=password]').isHidden(), true, 'the password cannot recover itself');
    await method(page, /^Email/).click();
    await page.waitForSelector('#step-code:not([hidden])');
    assert.equal(await page.locator('#heading').textContent(), 'Check your email');
    const mail = page.locator('#inbox .msg.mail[data-channel=email]').first();
    await mail.waitFor();
    assert.match(await mail.locator('.msg-head').textContent(), /Mail to recovery\.user@example\.com/);
    await screenshot(page, 'recovery-01-mail-on-phone');
    await typeCode(page, await codeFromInbox(page, 'email'));

    await setNewPassword(page, 'short');
    await expectError(page, 'password', 'password_requirements_not_met');
    assert.match(await page.locator('#error-detail').textContent(), /Password requirements: at least 8 characters/);
    await setNewPassword(page, PASSWORD);
    await expectError(page, 'password', 'password_reused');
    await screenshot(page, 'recovery-02-policy-error');
    await setNewPassword(page, 'Fresh-Start-2026');
    await page.waitForSelector('#step-password:not([hidden])');
    assert.match(await page.locator('#status').textContent(), /password was changed/i);
    assert.ok(requests.length >= 3 && requests.every((r) => r === `PUT ${DEMO_URL}/okta/idp/myaccount/password`), requests.join(', '));

    // The old password no longer works; the new one does (then the second factor by email).
    await typePassword(page, PASSWORD);
    await expectError(page, 'oauth', 'invalid_grant');
    await typePassword(page, 'Fresh-Start-2026');
    await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
    await method(page, /^Email/).click();
    await typeCode(page, await codeFromInbox(page, 'email', 1)); // the recovery's mail came first
    await expectSignedIn(page, 'Robin');
    await screenshot(page, 'recovery-03-signed-in-with-new-password');
  });

  it('forgot password by text message', async () => {
    const requests = watchMyAccount(page);
    await open(page);
    await enterUsername(page, 'alex@example.com');
    await method(page, /^Password/).click();
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await method(page, /^Text message/).click();
    await typeCode(page, await codeFromInbox(page, 'sms'));
    await setNewPassword(page, 'Proxied-Reset-77');
    await page.waitForSelector('#step-password:not([hidden])');
    assert.deepEqual(requests, [`PUT ${DEMO_URL}/okta/idp/myaccount/password`]);
    await typePassword(page, 'Proxied-Reset-77');
    await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
  });

  it('email as the only factor', async () => {
    await open(page);
    await enterUsername(page, 'email.only@example.com');
    await method(page, /^Email/).click();
    await typeCode(page, await codeFromInbox(page, 'email'));
    await expectSignedIn(page, 'Emma');
    assert.equal(await page.locator('#claims dd[data-claim=amr]').textContent(), 'email');
  });

  it('email as the second factor after the password', async () => {
    await open(page);
    await enterUsername(page, 'mfa.email@example.com');
    await method(page, /^Password/).click();
    await typePassword(page, PASSWORD);
    await page.waitForSelector('#step-method:not([hidden]) >> text=Choose a second factor');
    await method(page, /^Email/).click();
    await typeCode(page, await codeFromInbox(page, 'email'));
    await expectSignedIn(page, 'Milo');
    assert.equal(await page.locator('#claims dd[data-claim=amr]').textContent(), 'pwd, email, mfa');
  });
});
