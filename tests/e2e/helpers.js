// Shared set-up for the end-to-end tests: environment, one Chromium per test file, screenshots,
// and the emulator's test API.
//
// Environment (set by `cargo xtask test`):
//   DEMO_URL        base URL of okta-demo-server (serves www/ at /, the package at /pkg/, and
//                   okta-direct-auth-proxy at /okta with refresh-token custody: the deployment)
//   EMULATOR_URL    base URL of okta-emulator with Okta's browser rules (issuer
//                   EMULATOR_URL/oauth2/default): the proxies' upstream; a page calling it
//                   directly is refused, as Okta refuses it
//   DIRECT_EMULATOR_URL  an emulator that serves browsers (--allow-browser-grants): the direct subset
//   SPA_PROXY_URL   okta-direct-auth-proxy (custody on) for the SPA origin; the SPA's server
//                   forwards /okta to it
//   PKG_TGZ         the `npm pack` tarball of the package (the SPA fixture installs it)
//   SPA_PORT        port for the SPA fixture's static server (the SPA proxy's app origin);
//                   default: any free port
//   SCREENSHOT_DIR  where PNGs go (default: <repo>/target/screenshots)
//   CHROMIUM        the browser (default /usr/bin/chromium)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_URL = process.env.DEMO_URL?.replace(/\/$/, '');
export const EMULATOR_URL = process.env.EMULATOR_URL?.replace(/\/$/, '');
export const DIRECT_EMULATOR_URL = process.env.DIRECT_EMULATOR_URL?.replace(/\/$/, '');
export const SPA_PROXY_URL = process.env.SPA_PROXY_URL?.replace(/\/$/, '');
/** The demo server's proxy mount: the SDK's `proxy` option on a page of DEMO_URL. */
export const PROXY = '/okta';
export const PKG_TGZ = process.env.PKG_TGZ;
export const SPA_PORT = Number(process.env.SPA_PORT ?? 0);
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(ROOT, 'target/screenshots');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CLIENT_ID = '0oa-demo-spa';
/** The password of every demo user that has one (emulator/users.toml). */
export const PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo-Passw0rd';

/** Why a suite cannot run here (a `skip` option), or false (missing env vars skip, not fail). */
export function missing(...names) {
  const absent = names.filter((n) => !process.env[n]);
  return absent.length ? `set ${absent.join(', ')} (cargo xtask test does)` : false;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A fresh context and page, with page errors and console errors collected into `page.problems`
 * (a test asserts it stays empty).
 */
export async function newPage(browser, { width = 1200, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A 4xx from /token is an expected answer (wrong code, authorization_pending), and Chromium
    // logs each as "Failed to load resource": only other console errors count.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(`console: ${m.text()}`);
  });
  page.setDefaultTimeout(15_000);
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The emulator's test API (`/__emulator/…`), of the strict emulator unless `base` says otherwise. */
export async function emulator(pathname, init, base = EMULATOR_URL) {
  const r = await fetch(`${base}/__emulator${pathname}`, init);
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} /__emulator${pathname}: HTTP ${r.status} ${await r.text()}`);
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Forgets transactions, used TOTP steps, lockouts, rate windows and faults between tests, and
 * puts the emulator's clock back to wall time (earlier suites may have moved it).
 */
export async function resetEmulator(base = EMULATOR_URL) {
  await emulator('/reset', { method: 'POST' }, base);
  const { offsetSeconds } = await emulator('/clock', undefined, base);
  if (offsetSeconds) await advanceClock(-offsetSeconds, base);
}

/** Moves the emulator's clock (codes expire, TOTP steps) without waiting. */
export function advanceClock(seconds, base = EMULATOR_URL) {
  return emulator('/clock', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  }, base);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
