// okta-direct-auth: npm entry (types: index.d.ts, docs: README.md). Importing runs nothing:
// the wasm is instantiated once, on the first async call or `ready()`.
import init, * as wasm from './okta_direct_auth.js';

let loading, WasmError;

export function ready() {
  // A literal `new URL('./x.wasm', import.meta.url)`: Vite and webpack 5 emit the file as an
  // asset with no plugin; a plain <script type="module"> finds it beside this file. The glue
  // fetches it and compiles while it downloads (`WebAssembly.instantiateStreaming`), falling back
  // to `WebAssembly.instantiate` on the bytes when the server's content type is not
  // application/wasm. Its `fetch(url)` (mode cors, credentials same-origin) is what a
  // `<link rel="preload" as="fetch" crossorigin>` of the same URL matches.
  return (loading ||= init(new URL('./okta_direct_auth_bg.wasm', import.meta.url)).then(
    () => { WasmError = wasm.directAuthErrorClass(); },
    (e) => {
      loading = undefined; // the next call retries
      throw fail(e instanceof TypeError ? 'network' : 'config', 'wasm_load_failed', 'Could not load okta_direct_auth_bg.wasm',
        "Serve okta_direct_auth_bg.wasm beside index.js (ideally as application/wasm); under a Content-Security-Policy allow 'wasm-unsafe-eval'.", e);
    },
  ));
}

// Starts fetching and compiling the wasm now (streaming, see ready), for a page that will sign
// someone in: call it when the login form shows, or at the top of the login page's module. Reports
// nothing: a failed load is retried by the next call, which rejects with it. Without `location`
// (SSR) it does nothing, so importing and calling it on a server runs nothing either.
export function preload() {
  if (globalThis.location) ready().catch(() => {});
}

// The wasm's errors are instances of its own class (loaded with it); this one matches those
// and the few thrown here before the wasm is there.
export class DirectAuthError extends Error {
  static name = 'DirectAuthError'; // the package minifies this file's identifiers
  static [Symbol.hasInstance](x) {
    return (WasmError !== undefined && x instanceof WasmError) || DirectAuthError.prototype.isPrototypeOf(x);
  }
}

const fail = (kind, code, message, hint, cause) =>
  Object.assign(new DirectAuthError(message, { cause }), { name: 'DirectAuthError', kind, code, hint });

// base64url (padded or not) → bytes: decodeJwtClaims's and the passkey ceremony's.
const bin = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

// Plain JS, so it works before the wasm has loaded (and costs the wasm nothing). As strict as the
// SDK's own decoder (src/protocol/jwt.rs), with its errors: three base64url parts, the first two
// JSON objects in UTF-8; the signature is not checked (verifyIdToken does that).
export function decodeJwtClaims(jwt) {
  const parts = typeof jwt == 'string' ? jwt.split('.') : [];
  let why = 'A JWT has three dot-separated parts.';
  try {
    if (parts.length != 3) throw 0;
    return parts.map((p, i) => {
      why = i < 2 ? 'A JWT segment is not base64url.' : 'The JWT signature is not base64url.';
      if (!/^[\w-]*={0,2}$/.test(p)) throw 0;
      const bytes = bin(p);
      if (i > 1) return;
      why = 'A JWT segment is not UTF-8.';
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      why = 'A JWT segment is not JSON.';
      const value = JSON.parse(text);
      why = 'A JWT segment is not a JSON object.';
      if (!value || typeof value != 'object' || Array.isArray(value)) throw 0;
      return value;
    })[1];
  } catch {
    throw Object.assign(fail('protocol', 'invalid_jwt', 'invalid_jwt: ' + why, 'Do not trust this ID token: check the issuer, client ID and device clock.'), { description: why });
  }
}

export class DirectAuth {
  static name = 'DirectAuth';
  #d;
  // <passkeys>
  #issuer;
  // </passkeys>
  constructor(inner) {
    if (!(inner instanceof wasm.DirectAuth)) throw fail('config', 'use_create', 'DirectAuth has no public constructor', 'Use `await DirectAuth.create(options)`.');
    this.#d = inner;
  }
  static async create(options) {
    await ready();
    const auth = new DirectAuth(await wasm.DirectAuth.create(options));
    // <passkeys>
    auth.#issuer = options.issuer; // the passkey ceremony's rpId fallback
    // </passkeys>
    return auth;
  }
  get endpoints() { return this.#d.endpoints; }
  signInWithOtp(a) { return this.#d.signInWithOtp(a); }
  signInWithPassword(a) { return this.#d.signInWithPassword(a); }
  verifyMfaOtp(a) { return this.#d.verifyMfaOtp(a); }
  challenge(a) { return this.#d.challenge(a); }
  startOob(a) { return this.#d.startOob(a); }
  verifyOob(c, a) { return this.#d.verifyOob(c, a); }
  waitForApproval(c, o) { return this.#d.waitForApproval(c, o); }
  refresh(a) { return this.#d.refresh(a); }
  revoke(a) { return this.#d.revoke(a); }
  endProxySession(a) { return this.#d.endProxySession(a); }
  userinfo(a) { return this.#d.userinfo(a); }
  replacePassword(a) { return this.#d.replacePassword(a); }
  verifyIdToken(t, o) { return this.#d.verifyIdToken(t, o); }
  // <passkeys>
  signInWithPasskey(a) { return this.#passkey(a, 0); }
  verifyWithPasskey(a) { return this.#passkey(a, 1); }
  // The challenge (checked in the wasm), the browser's ceremony (`ceremony` below), the grant
  // (the wasm reads the ceremony's outcome: an assertion, or `ceremony`, the DOMException's name).
  // `passkey(step, args)`: 0 and 1 are the two challenges, 2 the grant (src/api/client.rs). The
  // wasm refused a `mediation` other than 'conditional'; a null one is left out here.
  async #passkey(a, step) {
    const c = await this.#d.passkey(step, a), signal = a?.signal;
    return this.#d.passkey(2, { ...await ceremony(c, this.#issuer, a?.mediation || undefined, signal), mfaToken: a?.mfaToken, signal });
  }
  // </passkeys>
}

// <passkeys>
// The passkey ceremony for Okta's challenge (`{challengeType?, publicKey}`). It adjusts the
// request options as Okta's SDKs do:
// - `rpId`, when absent, from the host of `extensions.appid`, else of the issuer (without it
//   the browser would use the page's domain and an Okta-bound passkey would not be found);
// - `allowCredentials[].transports` sent as a JSON-encoded string is parsed into its array
//   (dropped when it is not one);
// - `extensions.appid` is dropped when its host is neither the RP ID nor under it: a U2F
//   `appid` of another domain than the page's makes `get()` fail with a `SecurityError`, and
//   only U2F credentials registered under that appid could use it, which such a page cannot.
// It reads them with `PublicKeyCredential.parseRequestOptionsFromJSON()` where the browser has
// it, else decodes `challenge` and `allowCredentials[].id` from base64url itself; calls
// `navigator.credentials.get({ publicKey, mediation, signal })` (`mediation: 'conditional'`:
// passkey autofill); and resolves to the assertion, `{clientDataJSON, authenticatorData,
// signature, userHandle}` in base64url, from `credential.toJSON()` where present, else encoded
// from the `ArrayBuffer`s (the wasm leaves an empty `userHandle` out). It never rejects: a
// failure resolves to `{ ceremony }`, the `DOMException`'s name (`NotAllowedError`,
// `SecurityError`, `AbortError`, …), which the wasm maps to a typed error
// (`protocol::webauthn::ceremony_error`). The caller's `AbortSignal` goes to `get()`, so
// aborting ends the ceremony.
const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
const host = (u) => { try { return new URL(u).hostname; } catch {} };
const parse = (t) => { try { return JSON.parse(t); } catch {} };

async function ceremony(challenge, issuer, mediation, signal) {
  try {
    const o = { ...challenge.publicKey }, x = o.extensions, appid = host(x?.appid);
    o.rpId ??= appid || host(issuer);
    if (appid && appid != o.rpId && !appid.endsWith('.' + o.rpId)) delete (o.extensions = { ...x }).appid;
    o.allowCredentials = o.allowCredentials?.map((c) => ({ ...c, transports: typeof c.transports == 'string' ? parse(c.transports) : c.transports }));
    const c = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON?.(o) ??
        { ...o, challenge: bin(o.challenge), allowCredentials: o.allowCredentials?.map((a) => ({ ...a, id: bin(a.id) })) },
      mediation,
      signal,
    });
    const r = c.response;
    return c.toJSON?.().response ?? { clientDataJSON: b64(r.clientDataJSON), authenticatorData: b64(r.authenticatorData), signature: b64(r.signature), userHandle: b64(r.userHandle) };
  } catch (e) {
    return { ceremony: '' + e?.name };
  }
}
// </passkeys>

// <session>
// The optional session layer (src/web/session.js; its errors in src/session/): a DirectAuth
// for these options plus a store. `instanceof Session` holds for what `create` returns.
export class Session {
  static name = 'Session';
  static [Symbol.hasInstance](x) { return WasmError !== undefined && x instanceof wasm.session(); }
  static async create(options) {
    const auth = await DirectAuth.create(options);
    return wasm.session().create(auth, options, { session: wasm.session, decodeJwtClaims });
  }
}
// </session>

// Low-level API: one request per call, no state.
const lazy = (name) => async (options, args) => (await ready(), wasm[name](options, args));
export const passwordGrant = lazy('passwordGrant');
export const otpGrant = lazy('otpGrant');
export const mfaOtpGrant = lazy('mfaOtpGrant');
export const oobGrant = lazy('oobGrant');
export const challengeRequest = lazy('challengeRequest');
export const primaryAuthenticate = lazy('primaryAuthenticate');
export const refreshTokenGrant = lazy('refreshTokenGrant');
// <passkeys>
// A client per call, as the other low-level functions validate the options per call.
const once = (step) => async (options, args) => (await ready(), (await wasm.DirectAuth.create(options)).passkey(step, args));
export const webauthnChallengeRequest = once(0);
export const webauthnGrant = once(2);
// </passkeys>
export const replacePassword = lazy('replacePassword');
