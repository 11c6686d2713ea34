// Shared set-up for the end-to-end tests: environment, one Chromium per test file, screenshots,
// and the emulator's test API.
//
// Environment (set by `cargo xtask test`):
//   DEMO_URL        base URL of okta-demo-server (serves www/ at /, the package at /pkg/)
//   EMULATOR_URL    base URL of okta-emulator (issuer EMULATOR_URL/oauth2/default)
//   PKG_TGZ         the `npm pack` tarball of the package (the SPA fixture installs it)
//   SPA_PORT        port for the SPA fixture's static server (an origin the emulator trusts);
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

/** The emulator's test API (`/__emulator/…`). */
export async function emulator(pathname, init) {
  const r = await fetch(`${EMULATOR_URL}/__emulator${pathname}`, init);
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} /__emulator${pathname}: HTTP ${r.status} ${await r.text()}`);
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Forgets transactions, used TOTP steps, lockouts, rate windows and faults between tests, and
 * puts the emulator's clock back to wall time (earlier suites may have moved it).
 */
export async function resetEmulator() {
  await emulator('/reset', { method: 'POST' });
  const { offsetSeconds } = await emulator('/clock');
  if (offsetSeconds) await advanceClock(-offsetSeconds);
}

/** Moves the emulator's clock (codes expire, TOTP steps) without waiting. */
export function advanceClock(seconds) {
  return emulator('/clock', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
