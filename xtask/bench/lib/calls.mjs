// Figures 3 and 5, in pages on loopback against the bench's emulator.
//
// Per-call: the SDK's `signInWithOtp` beside a hand-written `fetch` of the same request (same URL,
// headers, form fields, `credentials: 'omit'`, JSON parsed), alternating SDK / fetch / fetch / SDK
// so drift hits both alike, each call with a fresh user and code (handed over by node through an
// exposed function, outside the timed region). Timed with performance.now() in a cross-origin
// isolated page (5 µs resolution).
//
// Memory: one page; the wasm instance's `memory.buffer.byteLength` and the JS heap
// (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage) after the client is created, after
// the first sign-in, and after 1,000.
import { summary } from './stats.mjs';

async function benchPage(browser, baseUrl, creds) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.exposeFunction('benchCred', () => creds.take());
  await page.goto(`${baseUrl}/blank.html`);
  return { context, page };
}

export async function perCall({ browser, baseUrl, creds, issuer, clientId, calls, warmup }) {
  const { context, page } = await benchPage(browser, baseUrl, creds);
  const r = await page.evaluate(async ({ issuer, clientId, calls, warmup }) => {
    const m = await import('/b/sdk-bench.js');
    const scopes = ['openid', 'profile'];
    const client = await m.start({ issuer, clientId, scopes });
    const tokenUrl = client.endpoints.token;
    const handFetch = async ({ username, otp }) => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:okta:params:oauth:grant-type:otp',
          client_id: clientId,
          scope: scopes.join(' '),
          login_hint: username,
          otp,
        }),
        credentials: 'omit',
      });
      const body = await response.json();
      return response.ok && typeof body.access_token === 'string';
    };
    const sdkCall = async (cred) => (await client.signInWithOtp(cred)).status === 'success';
    const times = { sdk: [], fetch: [] };
    const failures = { sdk: 0, fetch: 0 };
    let lastError;
    for (let i = 0; i < warmup + calls; i++) {
      for (const which of i % 2 ? ['fetch', 'sdk'] : ['sdk', 'fetch']) {
        const cred = await window.benchCred();
        const t = performance.now();
        let ok = false;
        try {
          ok = await (which === 'sdk' ? sdkCall(cred) : handFetch(cred));
        } catch (e) {
          lastError = `${which}: ${e?.code ?? ''} ${e?.message ?? e}`;
        }
        const dt = performance.now() - t;
        if (!ok) failures[which]++;
        if (i >= warmup) times[which].push(dt);
      }
    }
    return { times, failures, lastError, isolated: crossOriginIsolated, tokenUrl };
  }, { issuer, clientId, calls, warmup });
  await context.close();
  const sdk = summary(r.times.sdk);
  const fetchS = summary(r.times.fetch);
  return {
    calls,
    warmup,
    isolated: r.isolated,
    tokenUrl: r.tokenUrl,
    failures: r.failures,
    lastError: r.lastError,
    sdk: { ...sdk, samples: r.times.sdk },
    fetch: { ...fetchS, samples: r.times.fetch },
    overheadMedianMs: sdk.median - fetchS.median,
    ratioMedian: sdk.median / fetchS.median,
    ratioP95: sdk.p95 / fetchS.p95,
  };
}

// Sign-ins after which memory is measured (the last is `signIns`).
const CHECKPOINTS = [1, 10, 100, 500];

/**
 * One page, `signIns` sign-ins one after another (results dropped), measuring after each
 * checkpoint. `client: 'sdk'` signs in with okta-direct-auth; `client: 'fetch'` runs the very same
 * loop with the hand-written fetch instead: the control, showing what the page, the harness and
 * V8 itself add to the JS heap with no SDK involved.
 */
/**
 * Self sizes from a heap snapshot, in three parts: `code` (bytecode and JIT-compiled code, which
 * V8 adds as functions warm up), `native` (Blink and V8 native objects: DevTools' network buffers,
 * resource timing entries, the wasm module's compiled code) and `objects` (everything a program
 * can retain: objects, closures, strings, arrays…). A leak shows in `objects`.
 */
async function heapParts(cdp) {
  let json = '';
  const onChunk = (e) => {
    json += e.chunk;
  };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(json);
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const ti = fields.indexOf('type');
  const si = fields.indexOf('self_size');
  const parts = { objects: 0, code: 0, native: 0 };
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + ti]];
    parts[type === 'code' || type === 'native' ? type : 'objects'] += snap.nodes[i + si];
  }
  return parts;
}

async function memoryRun({ browser, baseUrl, creds, issuer, clientId, signIns, client }) {
  const { context, page } = await benchPage(browser, baseUrl, creds);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const measure = async (after, snapshot) => {
    // GC, a pause for FinalizationRegistry callbacks and timers to run, GC again.
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => window.__bench.m.wasmStats());
    return {
      after,
      wasmBytes: wasm.memoryBytes,
      wasmTables: wasm.tables,
      jsHeapUsed: heap.usedSize,
      embedderHeapUsed: heap.embedderHeapUsedSize,
      ...(snapshot ? { heapParts: await heapParts(cdp) } : {}),
    };
  };
  const run = (n) =>
    page.evaluate(async (n) => {
      let failures = 0;
      let lastError;
      for (let i = 0; i < n; i++) {
        try {
          if (!(await window.__bench.signIn(await window.benchCred()))) failures++;
        } catch (e) {
          failures++;
          lastError = `${e?.code ?? ''} ${e?.message ?? e}`;
        }
      }
      return { failures, lastError };
    }, n);

  await page.evaluate(async ({ issuer, clientId, client }) => {
    const m = await import('/b/sdk-bench.js');
    const sdk = await m.start({ issuer, clientId, scopes: ['openid', 'profile'] });
    const tokenUrl = sdk.endpoints.token;
    const handFetch = async ({ username, otp }) => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:okta:params:oauth:grant-type:otp', client_id: clientId, scope: 'openid profile',
          login_hint: username, otp,
        }),
        credentials: 'omit',
      });
      const body = await response.json();
      return response.ok && typeof body.access_token === 'string';
    };
    const signIn = client === 'sdk'
      ? async (cred) => (await sdk.signInWithOtp(cred)).status === 'success'
      : handFetch;
    window.__bench = { m, signIn };
  }, { issuer, clientId, client });
  const points = [await measure(0)];
  let failures = 0;
  let lastError;
  let done = 0;
  for (const at of [...CHECKPOINTS.filter((c) => c < signIns), signIns]) {
    const r = await run(at - done);
    done = at;
    failures += r.failures;
    lastError = r.lastError ?? lastError;
    points.push(await measure(at, at === 1 || at === signIns));
  }
  await context.close();
  const after1 = points.find((p) => p.after === 1);
  const last = points[points.length - 1];
  return {
    signIns,
    failures,
    lastError,
    points,
    created: points[0],
    after1,
    afterN: last,
    wasmGrowth: last.wasmBytes - after1.wasmBytes,
    jsHeapGrowth: last.jsHeapUsed - after1.jsHeapUsed,
    objectsGrowth: last.heapParts.objects - after1.heapParts.objects,
    codeGrowth: last.heapParts.code - after1.heapParts.code,
  };
}

export async function memory(args) {
  const sdk = await memoryRun({ ...args, client: 'sdk' });
  const control = await memoryRun({ ...args, client: 'fetch' });
  return { ...sdk, control, netJsHeapGrowth: sdk.jsHeapGrowth - control.jsHeapGrowth };
}
