// The package minifies this file (its comments do not ship); the whole story is in src/web/session.rs.
export const sessionClass = () => Session;

const EVENTS = ['signedIn', 'tokensRefreshed', 'signedOut', 'sessionEnded'];
const text = (v) => typeof v == 'string' && v != '';

// The record to store after a sign-in (`from` undefined) or a refresh (`from`: the record
// refreshed from); undefined when `t` are not the tokens of one.
export function record(t, from, custody) {
  const c = t?.refreshTokenCustody, idToken = text(t?.idToken) ? t.idToken : from?.idToken;
  if (!text(t?.accessToken) || !(Number.isFinite(t.expiresIn) && t.expiresIn >= 0) || !Number.isFinite(t.expiresAt) || !idToken) return;
  if (c !== undefined && c != 'proxy') return;
  const r = {
    v: 1,
    tokenType: typeof t.tokenType == 'string' ? t.tokenType : 'Bearer',
    accessToken: t.accessToken,
    expiresIn: Math.floor(t.expiresIn),
    expiresAt: t.expiresAt,
    scope: typeof t.scope == 'string' ? t.scope : from?.scope,
    idToken,
  };
  if (custody || c || from?.refreshTokenCustody) r.refreshTokenCustody = 'proxy';
  else r.refreshToken = text(t.refreshToken) ? t.refreshToken : from?.refreshToken;
  return r;
}

// A stored record's text read back: undefined for anything else (no session).
export function read(stored) {
  try {
    const v = JSON.parse(stored);
    return v?.v === 1 ? record(v) : undefined;
  } catch {}
}

// What getAccessToken() does with a record: 'none', 'use', 'refresh' or 'expired'. The margin
// (s) is capped at half the token's lifetime; an infinite one (forceRefresh) always refreshes.
export function plan(r, now, margin) {
  if (!r) return 'none';
  const left = r.expiresAt - now;
  if (left > (margin == 1 / 0 ? margin : Math.max(0, Math.min(margin * 1000, r.expiresIn * 500)))) return 'use';
  return r.refreshToken || r.refreshTokenCustody ? 'refresh' : left > 0 ? 'use' : 'expired';
}

// What a refresh that failed with `e` means, from the record text it was sent from and the
// store's text now: 'signedOut', 'superseded', 'ended' (invalid_grant) or 'failed'.
export const refreshFailed = (e, sent, now) =>
  now === undefined ? 'signedOut' : now !== sent ? 'superseded' : e?.kind == 'oauth' && e.code == 'invalid_grant' ? 'ended' : 'failed';

// A message from another tab: its type if it is one of the four events.
export const heardEvent = (data) => (EVENTS.includes(data?.type) ? data.type : undefined);

const memory = () => {
  const m = new Map();
  return { m, get: (k) => m.get(k), set: (k, v) => m.set(k, v), remove: (k) => m.delete(k) };
};

const web = (name) => ({
  get: (k) => globalThis[name].getItem(k),
  set: (k, v) => globalThis[name].setItem(k, v),
  remove: (k) => globalThis[name].removeItem(k),
});

const ENDS = { signedOut: 1, sessionEnded: 1 };

class Session {
  static name = 'Session';
  #c; #s; #k; #m; #w; #x; #b; #f; #l = new Set(); #claims; #seen;

  static async create(auth, o, core) {
    const s = new Session(auth, o, core);
    await s.#load();
    return s;
  }

  constructor(auth, o, c) {
    this.#c = c;
    const fail = (code) => { throw this.#e(code); };
    const st = o.storage ?? 'memory';
    const num = (v, d) => (v == null ? d : typeof v == 'number' && v >= 0 && v < 1e12 ? v : fail('invalid_session_option'));
    this.auth = auth;
    this.#k = `okta-direct-auth:${o.clientId}:${o.issuer}`;
    this.#m = num(o.refreshMarginSeconds, 60);
    this.#w = num(o.lockTimeoutMs, 2 * num(o.timeoutMs, 30000) + 1000);
    this.#x = o.refreshTokenCustody == null ? false : o.refreshTokenCustody == 'proxy' || fail('invalid_session_option');
    if (st == 'memory') this.#s = memory();
    else if (st == 'sessionStorage' || st == 'localStorage') {
      try { globalThis[st].length; } catch { fail('invalid_storage'); }
      this.#s = web(st);
    } else if (st && ['get', 'set', 'remove'].every((f) => typeof st[f] == 'function')) this.#s = st;
    else fail('invalid_storage');
    if (typeof BroadcastChannel == 'function') {
      this.#b = new BroadcastChannel(this.#k);
      this.#b.onmessage = (e) => this.#heard(e.data);
    }
  }

  get claims() { return this.#claims; }
  get signedIn() { return this.#claims !== undefined; }

  on(type, listener) {
    const l = [type, listener];
    this.#l.add(l);
    return () => this.#l.delete(l);
  }

  close() { this.#b?.close(); this.#b = undefined; }

  async signIn(result, options) {
    const t = result?.status == 'success' ? result.tokens : undefined;
    if (typeof t?.idToken != 'string') throw this.#e('not_a_sign_in');
    // Verified (signature and claims) before anything is kept; a rejection stores nothing.
    const claims = await this.auth.verifyIdToken(t.idToken, options);
    await this.#io('set', this.#record(t));
    this.#claims = claims;
    this.#emit('signedIn');
    return claims;
  }

  getAccessToken(o) {
    return (this.#f ||= this.#get(o?.forceRefresh ? 1 / 0 : this.#m).finally(() => { this.#f = undefined; }));
  }

  async signOut() {
    return this.#locked(async () => {
      const v = this.#view(await this.#io('get'));
      let revoked = true;
      if (v.record) {
        const r = v.record, a = this.auth;
        const done = await Promise.allSettled([
          a.revoke({ token: r.accessToken, tokenTypeHint: 'access_token' }),
          // Custody: the proxy revokes the refresh token it holds (POST {mount}/session/end).
          (async () => r.refreshTokenCustody ? a.endProxySession() : r.refreshToken && a.revoke({ token: r.refreshToken, tokenTypeHint: 'refresh_token' }))(),
        ]);
        revoked = done.every((d) => d.status == 'fulfilled');
      }
      await this.#drop('signedOut');
      return { revoked };
    });
  }

  // The store's text; while it is still `text`, re-read it (every 25 ms, `n` times at most): another
  // tab's write can reach this one after its message or its lock release.
  async #read(text, n) {
    let now;
    while ((now = await this.#io('get')) === text && n-- > 0) await new Promise((r) => setTimeout(r, 25));
    return now;
  }

  async #load(text, n) {
    const v = this.#view(await this.#read(text, n));
    this.#claims = v.record ? this.#c.decodeJwtClaims(v.record.idToken) : undefined;
  }

  // The session's errors come from the wasm (src/session/mod.rs).
  #e(code) { return this.#c.session(code); }
  // The record text to store for `tokens`, refreshed from the record `from` (if any).
  #record(tokens, from) {
    const r = record(tokens, from, this.#x);
    if (!r) throw this.#e('not_a_sign_in');
    return JSON.stringify(r);
  }

  // The plan for a stored record text, and the record.
  #view(stored, margin = this.#m) {
    const r = read(stored);
    return { plan: plan(r, Date.now(), margin), record: r };
  }

  async #io(op, value) {
    try {
      const v = (await this.#s[op](this.#k, value)) ?? undefined;
      this.#seen = op == 'get' ? v : value;
      return v;
    } catch (cause) {
      throw Object.assign(this.#e('storage_failed'), { cause });
    }
  }

  async #get(margin) {
    const text = await this.#io('get');
    const v = this.#view(text, margin);
    return v.plan == 'refresh' ? this.#locked((waited) => this.#refresh(text, waited)) : this.#settle(v);
  }

  // The token of a record that needs no refresh, or the reason there is none.
  async #settle(v) {
    if (v.plan == 'use') return v.record.accessToken;
    if (v.plan == 'expired') {
      await this.#drop('sessionEnded');
      throw this.#e('session_expired');
    }
    this.#claims = undefined;
    throw this.#e('not_signed_in');
  }

  // Runs `job` holding the session's Web Lock: at once when it is free; when another tab holds
  // it, after a bounded wait, then `steal` (the holder is frozen), telling `job` it waited (1).
  async #locked(job) {
    const locks = globalThis.navigator?.locks, busy = {};
    if (!locks) return job();
    const free = await locks.request(this.#k, { ifAvailable: true }, (l) => (l ? job() : busy));
    if (free !== busy) return free;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.#w);
    try {
      return await locks.request(this.#k, { signal: ac.signal }, () => (clearTimeout(timer), job(1)));
    } catch (e) {
      if (!ac.signal.aborted) throw e;
      return locks.request(this.#k, { steal: true }, () => job(1));
    }
  }

  // Under the lock: `sent` is the record text the plan was made from. After waiting for another
  // tab, give its store write up to 200 ms to arrive (Web Storage reaches other tabs after the
  // lock does), so that a refresh it just made is used, not repeated.
  async #refresh(sent, waited) {
    let now = waited ? await this.#read(sent, 8) : await this.#io('get');
    if (now !== sent) {
      const v = this.#view(now);
      if (v.plan != 'refresh') return this.#settle(v);
      sent = now;
    }
    const r = read(sent);
    let t, claims;
    try {
      t = await this.auth.refresh(r.refreshTokenCustody ? {} : { refreshToken: r.refreshToken });
      if (t.idToken) claims = await this.auth.verifyIdToken(t.idToken);
    } catch (e) {
      let what = refreshFailed(e, sent, (now = await this.#io('get')));
      // Before ending the session everywhere, give another tab's refresh a second to show.
      if (what == 'ended') what = refreshFailed(e, sent, (now = await this.#read(sent, 40)));
      if (what == 'superseded') return this.#settle(this.#view(now));
      if (what == 'signedOut') return this.#settle({});
      if (what == 'ended') {
        await this.#drop('sessionEnded');
        throw Object.assign(this.#e('session_ended'), { cause: e });
      }
      throw e;
    }
    const next = this.#record(t, r);
    now = await this.#io('get');
    if (now !== sent) return this.#settle(this.#view(now));
    await this.#io('set', next);
    if (claims) this.#claims = claims;
    this.#emit('tokensRefreshed');
    return t.accessToken;
  }

  async #drop(type) {
    await this.#io('remove');
    this.#claims = undefined;
    this.#emit(type);
  }

  #emit(type) {
    this.#b?.postMessage({ type });
    this.#fire(type, false);
  }

  #fire(type, remote) {
    for (const [t, l] of this.#l) {
      if (t == type) {
        try { l({ type, remote }); } catch {}
      }
    }
  }

  async #heard(data) {
    const type = heardEvent(data);
    if (!type) return;
    try {
      if (ENDS[type]) {
        // A shared store is already cleared (and may hold a new sign-in by now: left alone);
        // a store of this tab's own still holds what it last saw: cleared.
        const mine = this.#seen;
        if (mine !== undefined && (await this.#io('get')) === mine) await this.#io('remove');
        this.#claims = undefined;
      } else await this.#load(this.#seen, this.#s.m ? 0 : 40); // memory: nothing to wait for
    } catch {}
    this.#fire(type, true);
  }
}
