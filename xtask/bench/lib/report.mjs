// The one table (stdout, aligned) and its Markdown twin, each figure marked against its budget.
import { bytes, ms } from './stats.mjs';

const SIZE_BUDGET = 40_960; // gzip -9 of everything the package ships, every factor and the session in (issue 15)
const OVERHEAD_BUDGET_MS = 1;
const POLL_BUDGET = 7; // /token requests in a 30 s wait at interval 5
const MEMORY_SLACK = 64 * 1024;

const n = (x) => Math.round(x).toLocaleString('en-US');
const sizes3 = (s) => `${n(s.raw)} / ${n(s.gzip)} / ${n(s.brotli)} B`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const secs = (xs) => xs.map((x) => x.toFixed(1)).join(', ');

export function rows(r) {
  const out = [];
  const row = (section, figure, ours, beside, budget, mark) =>
    out.push({ section, figure, ours: ours ?? '', beside: beside ?? '', budget: budget ?? '', verdict: mark ?? '' });

  // 1. size
  const sdk = r.size?.sdk;
  if (sdk) {
    row("1 size", `package files (${sdk.packageFiles.length}: wasm + JS), raw / gzip -9 / brotli`, sizes3(sdk.package), '',
      `gzip <= ${n(SIZE_BUDGET)} B`, verdict(sdk.package.gzip <= SIZE_BUDGET));
    row('1 size', 'as bundled: esbuild JS + wasm asset, raw / gzip -9 / brotli', sizes3(sdk.bundle.total), '', '', '');
    row('1 size', '  of which the JS bundle / the wasm, gzip -9',
      `${n(sdk.bundle.js.gzip)} / ${n(sdk.bundle.wasm.gzip)} B`, '', '', '');
  }
  for (const [name, p] of Object.entries(r.size?.peers ?? {})) {
    let budget = '';
    let mark = '';
    if (sdk && (name === 'okta-auth-js' || name === 'auth0-spa-js')) {
      budget = 'ours smaller (gzip)';
      mark = verdict(sdk.bundle.total.gzip < p.gzip);
    } else if (sdk) {
      mark = `ours ${(sdk.bundle.total.gzip / p.gzip).toFixed(1)}x (gzip)`;
    }
    row('1 size', `${p.label}: esbuild, raw / gzip -9 / brotli`, '', sizes3(p), budget, mark);
  }

  // 2. start-up
  const st = r.startup;
  if (st) {
    for (const mode of ['cold', 'warm']) {
      const what = mode === 'cold'
        ? 'cold (new context, HTTP cache off)'
        : 'warm (same tab, HTTP cache on)';
      const s = st[mode];
      const o4w = s.oauth4webapi;
      row('2 start-up', `import() -> ready, ${what}, median / p95 of ${st.loads}`,
        s.sdk ? `${ms(s.sdk.median)} / ${ms(s.sdk.p95)}` : 'n/a',
        o4w ? `oauth4webapi ${ms(o4w.median)} / ${ms(o4w.p95)}` : '', 'none set', '');
      if (s.sdk) {
        row('2 start-up', `  of which import() of the JS / the rest (create: wasm fetch, compile, instantiate), medians`,
          `${ms(s.sdk.importMedian)} / ${ms(s.sdk.median - s.sdk.importMedian)}`, '', '', '');
      }
      if (s['sdk-preload']) {
        row('2 start-up', `  ${mode}, the wasm announced by <link rel="preload" as="fetch" crossorigin>`,
          `${ms(s['sdk-preload'].median)} / ${ms(s['sdk-preload'].p95)}`, '', '', '');
      }
      for (const [lib, label] of [['okta-auth-js', '@okta/okta-auth-js'], ['auth0-spa-js', '@auth0/auth0-spa-js']]) {
        if (s[lib]) row('2 start-up', `  ${mode}, beside it`, '', `${label} ${ms(s[lib].median)} / ${ms(s[lib].p95)}`, '', '');
      }
    }
  }

  // 3. per-call
  const c = r.calls;
  if (c) {
    row('3 per-call', `OTP sign-in on loopback, median / p95 of ${c.calls}`,
      `${ms(c.sdk.median, 3)} / ${ms(c.sdk.p95, 3)}`,
      `hand-written fetch ${ms(c.fetch.median, 3)} / ${ms(c.fetch.p95, 3)}`, '', '');
    row('3 per-call', 'overhead over fetch (difference of medians); ratio median / p95',
      `${c.overheadMedianMs >= 0 ? '+' : ''}${ms(c.overheadMedianMs, 3)}; ${c.ratioMedian.toFixed(2)}x / ${c.ratioP95.toFixed(2)}x`,
      '', `< ${OVERHEAD_BUDGET_MS} ms median`, verdict(c.overheadMedianMs < OVERHEAD_BUDGET_MS));
    if (c.failures.sdk || c.failures.fetch) {
      row('3 per-call', 'failed calls (counted in the timings)', `${c.failures.sdk}`, `fetch ${c.failures.fetch}`, '0',
        `MISSED (${c.lastError})`);
    }
  }

  // 4. polling
  const p = r.polling;
  if (p) {
    const a = p.interval;
    row('4 polling', `/token requests in a push wait of ${(a.waitedMs / 1000).toFixed(1)} s (approved at ${(a.approvedAfterMs / 1000).toFixed(1)} s), interval ${a.advertisedIntervalS}`,
      `${a.tokenRequests} (gaps ${secs(a.emulatorIntervalsS)} s; ${a.result})`, '', `<= ${POLL_BUDGET} in 30 s`,
      verdict(a.tokenRequests <= POLL_BUDGET * Math.max(1, a.waitedMs / 30_000) && a.slowDowns === 0));
    const b = p.slowDown;
    const gaps = b.emulatorIntervalsS;
    // After each slow_down the next gap must be longer than the one before it.
    const backsOff = b.answers.every((ans, i) => ans !== 'slow_down' || i + 1 >= b.answers.length
      || gaps[i] > (i > 0 ? gaps[i - 1] : b.pollTimesS[0] ?? 0));
    row('4 polling', `wait with slow_down (advertised ${b.advertisedIntervalS} s, enforced 5 s), ${(b.approvedAfterMs / 1000).toFixed(0)} s`,
      `${b.tokenRequests} (${b.slowDowns} slow_down; first after ${(b.pollTimesS[0] ?? NaN).toFixed(1)} s, gaps ${secs(gaps)} s; ${b.result})`,
      '', 'backs off on slow_down', verdict(backsOff && b.slowDowns > 0));
  }

  // 5. memory
  const m = r.memory;
  if (m) {
    const lim = m.after1.wasmBytes + MEMORY_SLACK;
    const series = (run, key) => run.points.map((pt) => n(pt[key])).join(' / ');
    const at = m.points.map((pt) => (pt.after === 0 ? 'create' : n(pt.after))).join(' / ');
    row('5 memory', `wasm linear memory after ${at} sign-ins`, `${series(m, 'wasmBytes')} B`, '',
      'after 1 + 64 KiB', verdict(m.afterN.wasmBytes <= lim));
    const tables = Object.keys(m.afterN.wasmTables ?? {});
    if (tables.length) {
      row('5 memory', `wasm table lengths (${tables.join(', ')}) after ${at}`,
        m.points.map((pt) => tables.map((t) => n(pt.wasmTables[t])).join('+')).join(' / '), '', '', '');
    }
    row('5 memory', `JS heap used after GC, after ${at}`, `${series(m, 'jsHeapUsed')} B`,
      `same loop, hand-written fetch: ${series(m.control, 'jsHeapUsed')} B`, '', '');
    const sign = (x) => `${x >= 0 ? '+' : ''}${n(x)} B`;
    row('5 memory', `JS heap growth from 1 to ${n(m.signIns)} sign-ins: retained objects (heap snapshot)`,
      sign(m.objectsGrowth),
      `fetch loop ${sign(m.control.objectsGrowth)}`, '+64 KiB', verdict(m.objectsGrowth <= MEMORY_SLACK));
    row('5 memory', '  the rest of it: compiled code (V8 JIT, bytecode); whole used heap',
      `${sign(m.codeGrowth)}; ${sign(m.jsHeapGrowth)}`,
      `fetch loop ${sign(m.control.codeGrowth)}; ${sign(m.control.jsHeapGrowth)}`, '', '');
    const failed = m.failures + m.control.failures;
    if (failed) row('5 memory', 'failed sign-ins', `${m.failures}`, `fetch loop ${m.control.failures}`, '0', `MISSED (${m.lastError ?? m.control.lastError})`);
  }
  return out;
}

const HEAD = { section: '#', figure: 'Figure', ours: 'okta-direct-auth', beside: 'Beside it', budget: 'Budget', verdict: 'Verdict' };
const COLS = Object.keys(HEAD);

function machineLine(r) {
  const mm = r.machine;
  return `machine: ${mm.nproc} CPUs (${mm.cpu}), load average ${mm.loadavg.map((x) => x.toFixed(2)).join(' ')} at start; `
    + `Chromium ${mm.chromium ?? '?'}; node ${mm.node}; esbuild ${r.versions.esbuild}; `
    + `okta-direct-auth ${r.versions['okta-direct-auth'] ?? 'not built'}, oauth4webapi ${r.versions.oauth4webapi}, `
    + `@okta/okta-auth-js ${r.versions['@okta/okta-auth-js']}, @auth0/auth0-spa-js ${r.versions['@auth0/auth0-spa-js']}`;
}

export const NOTES = [
  'Sizes: gzip -9 = node zlib level 9, brotli = quality 11, each file compressed on its own and summed. '
    + '"package files" = every .js/.wasm of target/pkg/okta-direct-auth (what the size budget counts); '
    + '"as bundled" = esbuild --bundle --minify --format=esm of `DirectAuth.create(...)` plus the wasm it loads as an asset. '
    + 'Peers: the same esbuild options on a minimal program (xtask/bench/entries/).',
  'Start-up: in-page performance.now() before a dynamic import() of the bundle and after its client is ready '
    + '(okta-direct-auth: the first awaited DirectAuth.create(), i.e. wasm fetched, compiled, instantiated; '
    + 'peers: the client object constructed, no network). Cold: a new browser context per load, HTTP cache '
    + 'disabled (CDP Network.setCacheDisabled); warm: the same tab reloaded, bundles cached. Loads interleaved.',
  'Per-call: signInWithOtp vs a hand-written fetch of the same /token request (same headers and form, JSON parsed), '
    + 'alternating, each with a fresh user and current TOTP code, against okta-emulator on 127.0.0.1; '
    + 'cross-origin isolated page, so performance.now() resolves 5 us. p95 = nearest rank.',
  'Polling: /token requests counted from the emulator\'s request log (GET /__emulator/requests) for that user; '
    + 'the push is approved through /__emulator/push/{id}/approve half a second before the 30 s mark, so the poll '
    + 'due at 30 s collects the tokens. slow_down case: the page rewrites the '
    + '/primary-authenticate answer\'s interval to 1 s while the emulator enforces 5 s.',
  'Memory: wasm memory.buffer.byteLength of the SDK\'s instance; JS heap = CDP Runtime.getHeapUsage().usedSize '
    + 'after HeapProfiler.collectGarbage (twice); one page, sign-ins one after another, results dropped. The same '
    + 'loop with the hand-written fetch in a second page is the control. After the first and the last sign-in a heap '
    + 'snapshot splits the heap into retained objects (objects, closures, strings, arrays: where a leak shows; the '
    + 'budget is judged on these), compiled code (V8 compiles and optimises the glue as it warms up) and native '
    + 'objects (DevTools\' network buffers, resource timing entries; not in usedSize).',
  'The machine is shared: figures in ms are only comparable within one run.',
];

export function report(r) {
  const rs = rows(r);
  const all = [HEAD, ...rs];
  const width = Object.fromEntries(COLS.map((k) => [k, Math.max(...all.map((x) => x[k].length))]));
  const line = (x) => COLS.map((k) => x[k].padEnd(width[k])).join('  ').trimEnd();
  const rule = COLS.map((k) => '-'.repeat(width[k])).join('  ');
  const skipped = r.skipped.length ? `\nskipped: ${r.skipped.join('; ')}` : '';
  const table = [machineLine(r), '', line(HEAD), rule, ...rs.map(line)].join('\n') + skipped;
  const esc = (s) => s.replace(/\|/g, '\\|');
  const md = [
    '# okta-direct-auth bench',
    '',
    `${r.date}. ${machineLine(r)}.`,
    '',
    `| ${COLS.map((k) => HEAD[k]).join(' | ')} |`,
    `| ${COLS.map(() => '---').join(' | ')} |`,
    ...rs.map((x) => `| ${COLS.map((k) => esc(x[k])).join(' | ')} |`),
    '',
    ...(r.skipped.length ? [`Skipped: ${r.skipped.join('; ')}.`, ''] : []),
    ...breakdown(r),
    '## How each figure is measured',
    '',
    ...NOTES.map((t) => `- ${t}`),
    '',
  ].join('\n');
  return { table, markdown: md };
}

function breakdown(r) {
  const b = r.size?.breakdown;
  if (!b) return [];
  const pct = (x) => `${((100 * x) / b.shipped).toFixed(1)}%`;
  return [
    '## Where the wasm\'s bytes go',
    '',
    `The package's wasm built again with its names kept (${n(b.total)} B with the name section; wasm-bindgen and wasm-opt -Oz as shipped; full list in wasm-top.txt). Code bytes are before compression.`,
    '',
    ...b.sections.filter((x) => !x.name.startsWith('custom')).sort((x, y) => y.bytes - x.bytes).slice(0, 3)
      .map((x) => `- ${x.name} section: ${n(x.bytes)} B (${pct(x.bytes)})`),
    '',
    '| code bytes by crate | bytes | share |',
    '| --- | --- | --- |',
    ...b.crates.slice(0, 12).map((c) => `| ${c.crate} | ${n(c.bytes)} | ${pct(c.bytes)} |`),
    '',
    '| largest functions | bytes | share |',
    '| --- | --- | --- |',
    ...b.top.map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${n(f.bytes)} | ${pct(f.bytes)} |`),
    '',
  ];
}
