// Figure 2: start-up in headless Chromium, from `import()` of the bundle to the client being ready.
//
// cold: every load in a new browser context (a new renderer process, empty HTTP and V8 code
//       caches) with the HTTP cache also disabled through CDP (Network.setCacheDisabled);
// warm: one tab navigated again and again with the HTTP cache on (bundles are served with
//       max-age), after one load that is not counted: what a returning visitor sees.
// The libraries' loads are interleaved so that drift on a shared machine hits them alike.
import { summary } from './stats.mjs';

async function loadOnce(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  const handle = await page.waitForFunction(() => window.__result, null, { timeout: 30_000 });
  const r = await handle.jsonValue();
  if (r.error) throw new Error(`start-up page failed: ${r.error}`);
  return r;
}

export async function startup({ browser, baseUrl, libs, loads, issuer, clientId }) {
  // `sdk-preload`: the same bundle as `sdk`, on a page whose HTML announces the wasm with
  // <link rel="preload" as="fetch" crossorigin> (pkg-template/README.md, "Start-up").
  const url = (lib) =>
    `${baseUrl}/startup.html?lib=${lib.replace('-preload', '')}${lib.endsWith('-preload') ? '&preload=1' : ''}` +
    `&issuer=${encodeURIComponent(issuer)}&clientId=${clientId}`;
  const cold = Object.fromEntries(libs.map((l) => [l, []]));
  const warm = Object.fromEntries(libs.map((l) => [l, []]));
  const imports = { cold: Object.fromEntries(libs.map((l) => [l, []])), warm: Object.fromEntries(libs.map((l) => [l, []])) };
  let isolated = true;

  for (let i = 0; i < loads; i++) {
    for (const lib of i % 2 ? [...libs].reverse() : libs) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const r = await loadOnce(page, url(lib));
      isolated &&= r.isolated;
      cold[lib].push(r.readyMs);
      imports.cold[lib].push(r.importMs);
      await context.close();
    }
  }

  const context = await browser.newContext();
  const pages = {};
  for (const lib of libs) {
    pages[lib] = await context.newPage();
    await loadOnce(pages[lib], url(lib)); // fills the caches; not counted
  }
  for (let i = 0; i < loads; i++) {
    for (const lib of i % 2 ? [...libs].reverse() : libs) {
      const r = await loadOnce(pages[lib], url(lib));
      warm[lib].push(r.readyMs);
      imports.warm[lib].push(r.importMs);
    }
  }
  await context.close();

  const out = { loads, isolated, cold: {}, warm: {} };
  for (const lib of libs) {
    out.cold[lib] = { ...summary(cold[lib]), importMedian: summary(imports.cold[lib]).median, samples: cold[lib] };
    out.warm[lib] = { ...summary(warm[lib]), importMedian: summary(imports.warm[lib]).median, samples: warm[lib] };
  }
  return out;
}
