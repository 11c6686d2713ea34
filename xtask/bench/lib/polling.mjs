// Figure 4: polling discipline of `waitForApproval`, counted by the emulator's request log
// (`GET /__emulator/requests?since=SEQ`) and, for the intervals, by a `fetch` wrapper in the page.
//
// interval: a push-only sign-in (`startOob`, channel push) whose challenge says `interval: 5`; the
//           push is approved through `/__emulator/push/{id}/approve` 29.5 s after the wait starts,
//           so the wait ends with the poll due at 30 s; every /token request of it is counted.
// slow_down: the bench's second client advertises `interval` 1 s but the emulator enforces 5 s
//           (`enforced_interval` in the seed file), so the SDK, following the advertised interval,
//           meets `slow_down` and must back off (+slowDownIncrementSeconds, 5 by default, each
//           time). Approved after ~25 s. The page only timestamps requests; it alters nothing.
// Both waits run at the same time, in two pages, for two different users.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function lastSeq(emulator) {
  return (await emulator.api('/__emulator/requests?since=0')).seq;
}

/** The pending push of `login` (the emulator's id for /__emulator/push/{id}/approve). */
async function pushIdFor(emulator, login) {
  const pushes = await emulator.api('/__emulator/push');
  const p = pushes.find((x) => x.login === login);
  if (!p) throw new Error(`no pending push for ${login} in ${JSON.stringify(pushes)}`);
  return p.id;
}

async function oneWait({ browser, baseUrl, emulator, issuer, clientId, login, approveAfterMs }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/blank.html`);
  const challenge = await page.evaluate(async ({ issuer, clientId, login }) => {
    // Every /token request the SDK sends, with its time (observed, not altered).
    const realFetch = window.fetch.bind(window);
    window.__polls = [];
    window.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/token')) window.__polls.push(performance.now());
      return realFetch(input, init);
    };
    const m = await import('/b/sdk-bench.js');
    const client = await m.start({ issuer, clientId, scopes: ['openid', 'profile'] });
    const ch = await client.startOob({ username: login, channel: 'push' });
    window.__t0 = performance.now();
    window.__wait = client.waitForApproval(ch).then(
      (r) => ({ status: r.status, at: performance.now() }),
      (e) => ({ error: `${e?.kind ?? ''} ${e?.code ?? ''} ${e?.message ?? e}`, at: performance.now() }),
    );
    return { interval: ch.interval, expiresIn: ch.expiresIn, bindingMethod: ch.bindingMethod };
  }, { issuer, clientId, login });
  const startedAt = Date.now();
  const since = await lastSeq(emulator);
  await sleep(approveAfterMs);
  const id = await pushIdFor(emulator, login);
  await emulator.api(`/__emulator/push/${encodeURIComponent(id)}/approve`, { method: 'POST' });
  const approvedAfterMs = Date.now() - startedAt;
  const outcome = await page.evaluate(async () => {
    const r = await window.__wait;
    return { ...r, polls: window.__polls.map((t) => t - window.__t0), waitedMs: r.at - window.__t0 };
  });
  await context.close();
  const log = (await emulator.api(`/__emulator/requests?since=${since}`)).requests
    .filter((e) => e.path.endsWith('/token') && e.login === login);
  const gaps = (ts) => ts.slice(1).map((t, i) => (t - ts[i]) / 1000);
  return {
    login,
    challenge,
    advertisedIntervalS: challenge.interval,
    approvedAfterMs,
    result: outcome.status ?? outcome.error,
    waitedMs: outcome.waitedMs,
    tokenRequests: log.length,
    answers: log.map((e) => e.error ?? String(e.status)),
    slowDowns: log.filter((e) => e.error === 'slow_down').length,
    pollTimesS: outcome.polls.map((t) => t / 1000),
    intervalsS: gaps(outcome.polls),
    emulatorIntervalsS: gaps(log.map((e) => e.at)),
  };
}

export async function polling({ browser, baseUrl, emulator, issuer, clientId, slowDownClientId, pushUsers, waitMs, slowWaitMs }) {
  const [interval, slowDown] = await Promise.all([
    // Approved half a second before `waitMs`: the poll due at `waitMs` collects the tokens, so
    // the wait lasts `waitMs` and every /token request it made is counted.
    oneWait({ browser, baseUrl, emulator, issuer, clientId, login: pushUsers[0], approveAfterMs: waitMs - 500 }),
    oneWait({ browser, baseUrl, emulator, issuer, clientId: slowDownClientId, login: pushUsers[1], approveAfterMs: slowWaitMs }),
  ]);
  return { interval, slowDown };
}
