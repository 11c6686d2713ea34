// The package as published, in a bundler: tests/spa-fixture (a small React app keeping a
// Session through its own hook, useSession.js) is copied to a temporary folder, installs the
// `npm pack` tarball (PKG_TGZ), is built with `vite build` (no plugin, no config: Vite's own
// JSX transform), served by `vite preview` on SPA_PORT, and driven to a signed-in session with
// OTP. The deployment: Vite's server forwards /okta to okta-direct-auth-proxy (SPA_PROXY_URL,
// refresh-token custody on), which calls the strict emulator; the SDK's `proxy` is '/okta'.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  EMULATOR_URL, PKG_TGZ, PROXY, ROOT, SPA_PORT, SPA_PROXY_URL, emulator, launch, missing, newPage, resetEmulator, screenshot, sleep,
} from './helpers.js';

const skip = missing('EMULATOR_URL', 'PKG_TGZ', 'SPA_PROXY_URL');
/** The app server's forwarding rule (Vite's `server.proxy` / `preview.proxy`): Origin passes as sent. */
const FORWARD = () => ({ [PROXY]: { target: SPA_PROXY_URL } });
const USER = 'otp.only@example.com';

async function currentTotp(login) {
  let t = await emulator(`/users/${encodeURIComponent(login)}/totp`);
  if (t.expiresIn <= 3) {
    await sleep((t.expiresIn + 1.5) * 1000);
    t = await emulator(`/users/${encodeURIComponent(login)}/totp`);
  }
  return String(t.code);
}

describe('Vite SPA installing the packed tarball', { skip, timeout: 300_000 }, () => {
  let work;
  let server;
  let url;
  let browser;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'okta-spa-'));
    const fixture = path.join(ROOT, 'tests/spa-fixture');
    cpSync(fixture, work, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|dist)([\\/]|$)/.test(path.relative(fixture, src)),
    });
    // Install exactly the tarball, as an app would from the registry. Vite itself comes from
    // tests/e2e/node_modules (installed by `npm ci`), so this install needs no network.
    // React comes from tests/e2e/node_modules too (the versions the fixture names, pinned in
    // tests/e2e/package-lock.json), linked in after the tarball's install.
    const pkgJson = JSON.parse(readFileSync(path.join(work, 'package.json'), 'utf8'));
    const linked = Object.keys(pkgJson.dependencies).filter((name) => name !== 'okta-direct-auth');
    pkgJson.dependencies = { 'okta-direct-auth': `file:${path.resolve(PKG_TGZ)}` };
    delete pkgJson.devDependencies;
    writeFileSync(path.join(work, 'package.json'), JSON.stringify(pkgJson, null, 2));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
      cwd: work,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    mkdirSync(path.join(work, 'node_modules'), { recursive: true });
    for (const name of [...linked, 'scheduler']) {
      symlinkSync(path.join(ROOT, 'tests/e2e/node_modules', name), path.join(work, 'node_modules', name), 'dir');
    }

    process.env.VITE_ISSUER = `${EMULATOR_URL}/oauth2/default`;
    process.env.VITE_PROXY = PROXY;
    const { build, preview } = await import('vite');
    await build({ root: work, logLevel: 'warn' });
    server = await preview({
      root: work,
      logLevel: 'warn',
      preview: { host: '127.0.0.1', port: SPA_PORT, strictPort: SPA_PORT !== 0, proxy: FORWARD() },
    });
    url = `http://127.0.0.1:${server.httpServer.address().port}/`;
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('vite build emits the wasm as an asset and bundles the glue', () => {
    const assets = readdirSync(path.join(work, 'dist/assets'));
    assert.ok(assets.some((f) => /^okta_direct_auth_bg-.+\.wasm$/.test(f)), `assets: ${assets}`);
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(work, 'dist/assets', f), 'utf8')).join('\n');
    assert.match(js, /okta_direct_auth_bg-[^"'`]+\.wasm/, 'the bundle references the emitted wasm');
  });

  it('signs in with OTP through the session hook (a wrong code first: instanceof DirectAuthError holds in the bundle); a reload keeps the session; sign-out ends it', async () => {
    await resetEmulator();
    const page = await newPage(browser);
    const wasm = [];
    const okta = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r); });
    page.on('request', (r) => { if (/\/v1\/(token|keys|revoke)/.test(r.url())) okta.push(r.url()); });
    await page.goto(url);
    await page.waitForSelector('html[data-ready=true]');
    // The hook creates the session on mount (it reads the store): that loads the wasm, once.
    // That importing the package fetches nothing is package.test.js's.
    await page.waitForSelector('#form');

    const right = await currentTotp(USER);
    await page.fill('#username', USER);
    await page.fill('#otp', right === '000000' ? '111111' : '000000');
    await page.keyboard.press('Enter');
    const result = page.locator('#result');
    await page.waitForSelector('#result[data-state=error]');
    assert.equal(await result.getAttribute('data-instanceof'), 'true', await result.textContent());
    assert.equal(await result.getAttribute('data-kind'), 'oauth');
    assert.equal(await result.getAttribute('data-code'), 'invalid_grant');

    await page.fill('#otp', await currentTotp(USER));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#result[data-state=signed-in]');
    assert.match(await result.textContent(), /Signed in as otp\.only@example\.com/);
    assert.ok(await result.getAttribute('data-sub'));

    assert.equal(wasm.length, 1, 'the wasm is fetched once');
    assert.ok(okta.length >= 2 && okta.every((u) => u.startsWith(`${url}okta/oauth2/default/v1/`)), `through the app's /okta: ${okta}`);
    const custody = (await page.context().cookies()).filter((c) => c.name === '__Secure-oda-refresh');
    assert.deepEqual(custody.map((c) => [c.httpOnly, c.path]), [[true, '/okta']], 'the proxy holds the refresh token');
    assert.match(new URL(wasm[0].url()).pathname, /^\/assets\/okta_direct_auth_bg-.+\.wasm$/);
    assert.equal(wasm[0].status(), 200);
    assert.equal(await page.locator('#event').getAttribute('data-type'), 'signedIn');
    await page.click('#token');
    await page.waitForSelector('#access-token:not([data-length="0"])');
    await screenshot(page, '20-spa-signed-in');

    await page.reload();
    await page.waitForSelector('#result[data-state=signed-in]');
    assert.match(await result.textContent(), /Signed in as otp\.only@example\.com/, 'sessionStorage kept the session');
    await page.click('#sign-out');
    await page.waitForSelector('#form');
    assert.equal(await page.locator('#event').getAttribute('data-type'), 'signedOut');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('vite dev server, no config but the /okta forwarding rule (Vite 8; Vite 7 needs optimizeDeps.exclude, see the README)', async () => {
    // Same port (the proxy's app origin), so the preview server goes first.
    await server.close();
    const { createServer } = await import('vite');
    server = await createServer({
      root: work,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: SPA_PORT, strictPort: SPA_PORT !== 0, hmr: false, proxy: FORWARD() },
    });
    await server.listen();
    const devUrl = `http://127.0.0.1:${server.httpServer.address().port}/`;
    await resetEmulator();
    const page = await newPage(browser);
    await page.goto(devUrl);
    await page.waitForSelector('html[data-ready=true]');
    await page.fill('#username', USER);
    await page.fill('#otp', await currentTotp(USER));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#result[data-state=signed-in], #result[data-state=error]');
    assert.equal(await page.locator('#result').getAttribute('data-state'), 'signed-in', await page.locator('#result').textContent());
    await page.context().close();
  });
});
