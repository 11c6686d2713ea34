// The npm package itself: what the tarball holds, that index.js imports with no browser around
// (SSR) and exports every name of index.d.ts, that the wasm loads lazily and once from a plain
// static folder, and that it works in a module worker, through the demo server's proxy (the
// deployment) and directly against an emulator that serves browsers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DEMO_URL, DIRECT_EMULATOR_URL, PKG_TGZ, PROXY, ROOT, emulator, launch, missing, newPage, resetEmulator, sleep,
} from './helpers.js';

const PKG_DIR = process.env.PKG_DIR;

/** Every runtime export index.d.ts declares (functions and classes). */
function declaredExports() {
  const dts = readFileSync(path.join(ROOT, 'pkg-template/index.d.ts'), 'utf8');
  return [...dts.matchAll(/^export declare (?:function|class|const) (\w+)/gm)].map((m) => m[1]).sort();
}

describe('npm package', () => {
  it('the tarball holds exactly the published files', { skip: missing('PKG_TGZ') }, () => {
    const files = execFileSync('tar', ['-tzf', PKG_TGZ], { encoding: 'utf8' }).trim().split('\n').sort();
    for (const f of ['index.js', 'index.d.ts', 'okta_direct_auth_bg.wasm', 'package.json', 'README.md']) {
      assert.ok(files.includes(`package/${f}`), `package/${f} in ${files}`);
    }
    const unexpected = files.filter((f) => !/^package\/(index\.js|index\.d\.ts|okta_direct_auth_bg\.wasm|package\.json|README\.md|LICENSE)$/.test(f));
    assert.deepEqual(unexpected, [], 'nothing else is published');
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', PKG_TGZ, 'package/package.json'], { encoding: 'utf8' }));
    assert.equal(pkg.name, 'okta-direct-auth');
    assert.equal(pkg.type, 'module');
    assert.equal(pkg.sideEffects, false);
    assert.deepEqual(pkg.exports['.'], { types: './index.d.ts', default: './index.js' });
    assert.match(pkg.version, /^\d+\.\d+\.\d+/);
    assert.notEqual(pkg.version, '0.0.0', 'the version comes from Cargo.toml');
  });

  it('index.js is the one JS module: it imports nothing and names the wasm as bundlers look for it', { skip: missing('PKG_DIR') }, () => {
    const js = readFileSync(path.join(PKG_DIR, 'index.js'), 'utf8');
    assert.doesNotMatch(js, /\bfrom\s*["']|\bimport\s*["'(]/, 'no import left');
    // Vite and webpack 5 emit the wasm as an asset for this expression, written so.
    assert.ok(js.includes('new URL("./okta_direct_auth_bg.wasm",import.meta.url)'));
  });

  it('imports under Node with no browser globals (SSR) and exports every name of index.d.ts', { skip: missing('PKG_DIR') }, async () => {
    assert.equal(typeof globalThis.window, 'undefined');
    const mod = await import(pathToFileURL(path.join(PKG_DIR, 'index.js')).href);
    const runtime = Object.keys(mod).sort();
    for (const name of declaredExports()) assert.ok(runtime.includes(name), `index.js exports ${name}`);
    assert.ok(runtime.includes('ready'));
    // What a console shows of them (the bundling in `cargo xtask pkg` must not rename them).
    for (const name of ['DirectAuth', 'DirectAuthError', 'Session']) assert.equal(mod[name].name, name);
    assert.equal(mod.preload(), undefined, 'preload() under SSR does nothing (and throws nothing)');

    // decodeJwtClaims is plain JS: it works before (and without) the wasm, and a malformed token
    // is the DirectAuthError the wasm's own decoder gives (protocol / invalid_jwt, with a hint).
    const b64u = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { sub: '00u1', name: 'Zoë 🙂', aud: ['a', 'b'], n: 1 };
    assert.deepEqual(mod.decodeJwtClaims(`${b64u({ alg: 'RS256' })}.${b64u(claims)}.c2ln`), claims);
    assert.deepEqual(mod.decodeJwtClaims(`${b64u({})}.${b64u({ a: 1 })}.`), { a: 1 }, 'an empty signature decodes');
    const bad = {
      'n*t.a.jwt': 'A JWT segment is not base64url.',
      'a.b': 'A JWT has three dot-separated parts.',
      [`${b64u({})}.${b64u({})}.x.y`]: 'A JWT has three dot-separated parts.',
      [`${b64u({})}.${b64u([1])}.`]: 'A JWT segment is not a JSON object.',
      [`${b64u({})}.${b64u(null)}.`]: 'A JWT segment is not a JSON object.',
      [`${b64u({})}.${Buffer.from('{x').toString('base64url')}.`]: 'A JWT segment is not JSON.',
      [`${b64u({})}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.`]: 'A JWT segment is not UTF-8.',
      [`${b64u({})}.${b64u({})}+.`]: 'A JWT segment is not base64url.',
      [`${b64u({})}.${b64u({})}.a`]: 'The JWT signature is not base64url.',
      [`${b64u({})}.${b64u({})}.ab=`]: 'The JWT signature is not base64url.',
    };
    for (const [jwt, description] of [...Object.entries(bad), [undefined, 'A JWT has three dot-separated parts.'], [42, 'A JWT has three dot-separated parts.']]) {
      assert.throws(() => mod.decodeJwtClaims(jwt), (e) => {
        assert.ok(e instanceof mod.DirectAuthError);
        assert.ok(e instanceof Error);
        assert.equal(e.name, 'DirectAuthError');
        assert.equal(e.kind, 'protocol');
        assert.equal(e.code, 'invalid_jwt');
        assert.equal(e.description, description, String(jwt));
        assert.equal(e.message, `invalid_jwt: ${description}`);
        assert.match(e.hint, /ID token/);
        return true;
      });
    }
    assert.throws(() => new mod.DirectAuth(), (e) => e instanceof mod.DirectAuthError && e.code === 'use_create');
    assert.equal({} instanceof mod.DirectAuthError, false);
    assert.equal(new Error('x') instanceof mod.DirectAuthError, false);
  });

  describe('in the browser', { skip: missing('DEMO_URL', 'EMULATOR_URL') }, () => {
    let browser;
    before(async () => {
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
    });

    it('from a static folder: nothing loads at import, the wasm loads once, on first use', async () => {
      const page = await newPage(browser);
      const wasm = [];
      const modules = [];
      page.on('request', (r) => {
        if (r.url().endsWith('.wasm')) wasm.push(r.url());
        if (r.url().includes('/pkg/') && r.url().endsWith('.js')) modules.push(new URL(r.url()).pathname);
      });
      await page.goto(`${DEMO_URL}/demo-config.json`); // any page of the origin
      const names = await page.evaluate(async () => Object.keys(await import('/pkg/index.js')));
      assert.ok(names.includes('DirectAuth'));
      await sleep(300);
      assert.deepEqual(wasm, [], 'importing fetches no wasm');

      const out = await page.evaluate(async (proxy) => {
        const m = await import('/pkg/index.js');
        m.preload(); // starts the one load that ready() then returns
        const p1 = m.ready();
        const p2 = m.ready();
        await Promise.all([p1, p2]);
        const issuer = (await (await fetch('/demo-config.json')).json()).issuer;
        const auth = await m.DirectAuth.create({ issuer, clientId: '0oa-demo-spa', proxy });
        let error;
        try {
          await auth.signInWithOtp({ username: 'otp.only@example.com', otp: 'abc' });
        } catch (e) {
          error = {
            instanceOf: e instanceof m.DirectAuthError, isError: e instanceof Error, name: e.name, constructor: e.constructor.name,
            kind: e.kind, code: e.code, hint: e.hint,
          };
        }
        let config;
        try {
          await m.DirectAuth.create({ issuer: 'not a url', clientId: '' });
        } catch (e) {
          config = { instanceOf: e instanceof m.DirectAuthError, kind: e.kind };
        }
        return { same: p1 === p2, endpoints: auth.endpoints, error, config };
      }, PROXY);
      assert.equal(out.same, true, 'ready() is memoised');
      assert.equal(wasm.length, 1, `the wasm is fetched once: ${wasm}`);
      assert.deepEqual([...new Set(modules)], ['/pkg/index.js'], 'one JS module');
      assert.match(out.endpoints.token, /^\/okta\/oauth2\/default\/v1\/token$/);
      assert.deepEqual(out.error && { ...out.error, hint: typeof out.error.hint }, {
        instanceOf: true, isError: true, name: 'DirectAuthError', constructor: 'DirectAuthError', kind: 'input', code: 'invalid_otp', hint: 'string',
      });
      assert.deepEqual(out.config, { instanceOf: true, kind: 'config' });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    it('in a module worker: signs in with OTP through the proxy, and directly where Okta serves browsers', { skip: missing('DIRECT_EMULATOR_URL') }, async () => {
      await resetEmulator();
      await resetEmulator(DIRECT_EMULATOR_URL);
      const page = await newPage(browser);
      await page.goto(`${DEMO_URL}/demo-config.json`);
      const totp = async (base) => String((await emulator(`/users/${encodeURIComponent('otp.only@example.com')}/totp`, undefined, base)).code);
      const [proxied, direct] = [{ otp: await totp() }, { otp: await totp(DIRECT_EMULATOR_URL), issuer: `${DIRECT_EMULATOR_URL}/oauth2/default` }];
      const out = await page.evaluate(async (runs) => {
        const { issuer } = await (await fetch('/demo-config.json')).json();
        // A worker made from a blob: URL resolves no relative URL: the proxy's is absolute.
        const proxy = `${location.origin}/okta`;
        const src = `
          import { DirectAuth, decodeJwtClaims } from '${location.origin}/pkg/index.js';
          onmessage = async ({ data }) => {
            try {
              const auth = await DirectAuth.create({ issuer: data.issuer, clientId: '0oa-demo-spa', proxy: data.proxy });
              const r = await auth.signInWithOtp({ username: 'otp.only@example.com', otp: data.otp });
              postMessage({ status: r.status, sub: decodeJwtClaims(r.tokens.idToken).sub, token: auth.endpoints.token });
            } catch (e) {
              postMessage({ error: String(e && (e.code || e.message)), hint: e && e.hint });
            }
          };`;
        const signIn = (data) => {
          const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
          return new Promise((resolve) => {
            worker.onmessage = (ev) => resolve(ev.data);
            worker.onerror = (ev) => resolve({ error: ev.message });
            worker.postMessage(data);
          }).finally(() => worker.terminate());
        };
        return [await signIn({ issuer, proxy, otp: runs[0].otp }), await signIn({ issuer: runs[1].issuer, otp: runs[1].otp })];
      }, [proxied, direct]);
      assert.equal(out[0].status, 'success', JSON.stringify(out[0]));
      assert.equal(out[0].token, `${DEMO_URL}/okta/oauth2/default/v1/token`);
      assert.equal(out[1].status, 'success', JSON.stringify(out[1]));
      assert.equal(out[1].token, `${DIRECT_EMULATOR_URL}/oauth2/default/v1/token`);
      assert.ok(out[0].sub && out[1].sub);
      await page.context().close();
    });
  });
});
