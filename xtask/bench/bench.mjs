// `cargo xtask bench` (issue 5): one table of okta-direct-auth's figures beside its peers, also
// written to OUT_DIR/bench.json and OUT_DIR/bench.md.
//
// Run by xtask/src/bench.rs, which builds what is needed and sets:
//   PKG_DIR       the built npm package (target/pkg/okta-direct-auth); without it the SDK's
//                 figures are skipped
//   EMULATOR_BIN  okta-emulator; without it the per-call, polling and memory figures are skipped
//   CHROMIUM      the browser (default /usr/bin/chromium)
//   OUT_DIR       where the results go (default ../../target/bench)
//   WASM_WITH_NAMES  optional: the wasm built with its name section, for OUT_DIR/wasm-top.txt
// Options: --only size,startup,calls,polling,memory   --loads N   --calls N   --signins N   --quick
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, packageFiles, addSizes } from './lib/sizes.mjs';
import { serve } from './lib/server.mjs';
import { startup } from './lib/startup.mjs';
import { perCall, memory } from './lib/calls.mjs';
import { polling } from './lib/polling.mjs';
import { writeSeed, Credentials, startEmulator, CLIENT_ID, SLOW_DOWN_CLIENT_ID } from './lib/emulator.mjs';
import { report } from './lib/report.mjs';
import { wasmTop, formatTop } from './lib/wasm-top.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const quick = argv.includes('--quick');
const only = opt('only', 'size,startup,calls,polling,memory').split(',');
const want = (s) => only.includes(s);
const LOADS = Number(opt('loads', quick ? 5 : 25));
const CALLS = Number(opt('calls', quick ? 20 : 200));
const WARMUP = quick ? 2 : 10;
const SIGNINS = Number(opt('signins', quick ? 50 : 1000));
const PUSH_WAIT_MS = quick ? 12_000 : 30_000; // the wait lasts this long: approved half a second before
const SLOW_WAIT_MS = quick ? 12_000 : 25_000;

const PKG_DIR = process.env.PKG_DIR && existsSync(process.env.PKG_DIR) ? resolve(process.env.PKG_DIR) : undefined;
const EMULATOR_BIN = process.env.EMULATOR_BIN && existsSync(process.env.EMULATOR_BIN) ? process.env.EMULATOR_BIN : undefined;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT_DIR = resolve(process.env.OUT_DIR ?? join(here, '../../target/bench'));
const WWW = join(OUT_DIR, 'www');
const step = (msg) => console.log(`==> bench: ${msg}`);

const PEERS = [
  { name: 'oauth4webapi', label: 'oauth4webapi (OTP grant, tree-shaken)', startup: true },
  { name: 'oauth4webapi-all', label: 'oauth4webapi (whole library)' },
  { name: 'okta-auth-js', label: '@okta/okta-auth-js (constructs OktaAuth)', budgetPeer: true, startup: true },
  { name: 'auth0-spa-js', label: '@auth0/auth0-spa-js 2.27.0 (constructs Auth0Client)', budgetPeer: true, startup: true },
];
const versionOf = (pkg) =>
  JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;

const results = {
  date: new Date().toISOString(),
  machine: {
    nproc: Number(execFileSync('nproc').toString().trim()),
    cpu: cpus()[0]?.model,
    loadavg: loadavg(),
    node: process.version,
  },
  versions: {
    'okta-direct-auth': PKG_DIR ? JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')).version : null,
    oauth4webapi: versionOf('oauth4webapi'),
    '@okta/okta-auth-js': versionOf('@okta/okta-auth-js'),
    '@auth0/auth0-spa-js': versionOf('@auth0/auth0-spa-js'),
    esbuild: versionOf('esbuild'),
  },
  skipped: [],
};
if (!PKG_DIR) results.skipped.push('okta-direct-auth figures: no built package (PKG_DIR)');
if (!EMULATOR_BIN) results.skipped.push('per-call, polling and memory: no emulator (EMULATOR_BIN)');

rmSync(WWW, { recursive: true, force: true });
mkdirSync(join(WWW, 'b'), { recursive: true });

// ---------------------------------------------------------------- 1. sizes (and the bundles every page loads)
step('bundling with esbuild (--bundle --minify --format=esm)');
const nodeModules = join(here, 'node_modules');
const entry = (n) => join(here, 'entries', `${n}.js`);
results.size = { peers: {} };
if (PKG_DIR) {
  const files = packageFiles(PKG_DIR);
  const b = await bundle({ entry: entry('sdk'), name: 'sdk', outDir: join(WWW, 'b'), pkgDir: PKG_DIR, nodeModules });
  await bundle({ entry: entry('sdk-bench'), name: 'sdk-bench', outDir: join(WWW, 'b'), pkgDir: PKG_DIR, nodeModules });
  results.size.sdk = {
    packageFiles: files,
    package: addSizes(files),
    bundle: { js: b.js, wasm: b.wasm, total: b.total, inputs: b.inputs, warnings: b.warnings },
  };
}
for (const p of PEERS) {
  const b = await bundle({ entry: entry(p.name), name: p.name, outDir: join(WWW, 'b'), nodeModules });
  results.size.peers[p.name] = { label: p.label, ...b.js, inputs: b.inputs.slice(0, 10) };
}

if (process.env.WASM_WITH_NAMES && existsSync(process.env.WASM_WITH_NAMES)) {
  const top = wasmTop(readFileSync(process.env.WASM_WITH_NAMES), 40);
  writeFileSync(join(OUT_DIR, 'wasm-top.txt'), `${process.env.WASM_WITH_NAMES}\n(the package's wasm built again with its name section kept: wasm-bindgen + the shipped wasm-opt passes (xtask/src/pkg.rs WASM_OPT_PASSES), boundary names minified, not stripped)\n\n${formatTop(top)}\n`);
  results.size.breakdown = { file: process.env.WASM_WITH_NAMES, total: top.total, shipped: top.shipped, sections: top.sections, crates: top.crates, top: top.top.slice(0, 15) };
}

// ---------------------------------------------------------------- browser and page server
const server = await serve({ '/b/': join(WWW, 'b'), '/': join(here, 'pages') });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
results.machine.chromium = browser.version();
let emulator;
try {
  // ------------------------------------------------------------ 2. start-up
  if (want('startup')) {
    const libs = [...(PKG_DIR ? ['sdk', 'sdk-preload'] : []), ...PEERS.filter((p) => p.startup).map((p) => p.name)];
    step(`start-up: ${LOADS} cold and ${LOADS} warm loads each of ${libs.join(', ')}`);
    results.startup = await startup({
      browser, baseUrl: server.url, libs, loads: LOADS,
      issuer: 'http://127.0.0.1:9/oauth2/default', clientId: '0oa-bench-spa',
    });
  }

  const needEmulator = PKG_DIR && EMULATOR_BIN && (want('calls') || want('polling') || want('memory'));
  if (needEmulator) {
    const seedFile = join(OUT_DIR, 'bench-users.toml');
    const count = 2 * (CALLS + WARMUP) + 2 * SIGNINS + 100;
    const seed = writeSeed(seedFile, { count, pushUsers: 2 });
    step(`emulator with ${count} OTP-only users (${seedFile})`);
    emulator = await startEmulator(EMULATOR_BIN, [
      '--addr', '127.0.0.1:0', '--users', seedFile, '--trusted-origin', server.url, '--quiet',
      // The page calls the emulator directly, which Okta's browser rules (the default) refuse.
      '--allow-browser-grants', '--cors-direct-auth-endpoints',
    ], join(OUT_DIR, 'emulator.log'));
    const creds = new Credentials(seed.users);
    const issuer = `${emulator.url}/oauth2/default`;
    const common = { browser, baseUrl: server.url, issuer, clientId: CLIENT_ID };

    // ---------------------------------------------------------- 4. polling (first: the request log keeps 2,000 entries)
    if (want('polling')) {
      step(`polling: a ${PUSH_WAIT_MS / 1000} s push wait (interval 5) and a slow_down wait, side by side`);
      results.polling = await polling({ ...common, slowDownClientId: SLOW_DOWN_CLIENT_ID, emulator, pushUsers: seed.push, waitMs: PUSH_WAIT_MS, slowWaitMs: SLOW_WAIT_MS });
    }
    // ---------------------------------------------------------- 3. per-call overhead
    if (want('calls')) {
      step(`per-call: ${CALLS} SDK sign-ins and ${CALLS} hand-written fetches (+${WARMUP} warm-up each)`);
      results.calls = await perCall({ ...common, creds, calls: CALLS, warmup: WARMUP });
    }
    // ---------------------------------------------------------- 5. memory
    if (want('memory')) {
      step(`memory: ${SIGNINS} sign-ins in one page, then the same loop with a hand-written fetch`);
      results.memory = await memory({ ...common, creds, signIns: SIGNINS });
    }
  }
} finally {
  await browser.close();
  await server.close();
  if (emulator) await emulator.close();
}

const { table, markdown } = report(results);
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(OUT_DIR, 'bench.md'), markdown);
console.log(`\n${table}`);
console.log(`\nwritten: ${join(OUT_DIR, 'bench.json')}, ${join(OUT_DIR, 'bench.md')}`);
