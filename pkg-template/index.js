// okta-direct-auth: npm entry (types: index.d.ts, docs: README.md). Importing runs nothing:
// the wasm is instantiated once, on the first async call or `ready()`.
import init, * as wasm from './okta_direct_auth.js';

let loading, WasmError;

export function ready() {
  // A literal `new URL('./x.wasm', import.meta.url)`: Vite and webpack 5 emit the file as an
  // asset with no plugin; a plain <script type="module"> finds it beside this file.
  return (loading ||= init({ module_or_path: new URL('./okta_direct_auth_bg.wasm', import.meta.url) }).then(
    () => { WasmError = wasm.directAuthErrorClass(); },
    (e) => {
      loading = undefined; // the next call retries
      throw fail(e instanceof TypeError ? 'network' : 'config', 'wasm_load_failed', 'Could not load okta_direct_auth_bg.wasm',
        "Serve okta_direct_auth_bg.wasm beside index.js (ideally as application/wasm); under a Content-Security-Policy allow 'wasm-unsafe-eval'.", e);
    },
  ));
}

// The wasm's errors are instances of its own class (loaded with it); this one matches those
// and the few thrown here before the wasm is there.
export class DirectAuthError extends Error {
  static [Symbol.hasInstance](x) {
    return (WasmError !== undefined && x instanceof WasmError) || DirectAuthError.prototype.isPrototypeOf(x);
  }
}

const fail = (kind, code, message, hint, cause) =>
  Object.assign(new DirectAuthError(message, { cause }), { name: 'DirectAuthError', kind, code, hint });

export function decodeJwtClaims(jwt) {
  if (!WasmError) {
    throw fail('config', 'not_ready', 'decodeJwtClaims() was called before the wasm was loaded',
      'await ready() (or any async call such as DirectAuth.create) before calling decodeJwtClaims().');
  }
  return wasm.decodeJwtClaims(jwt);
}

export class DirectAuth {
  #d;
  #issuer;
  constructor(inner) {
    if (!(inner instanceof wasm.DirectAuth)) throw fail('config', 'use_create', 'DirectAuth has no public constructor', 'Use `await DirectAuth.create(options)`.');
    this.#d = inner;
  }
  static async create(options) {
    await ready();
    const auth = new DirectAuth(await wasm.DirectAuth.create(options));
    auth.#issuer = options.issuer; // the passkey ceremony's rpId fallback
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
  signInWithPasskey(a) { return this.#passkey(a, false); }
  verifyWithPasskey(a) { return this.#passkey(a, true); }
  // The challenge, the browser's ceremony (src/web/webauthn.rs), the grant: each checked in the wasm.
  async #passkey(a, mfa) {
    const c = await this.#d.passkeyChallenge(a, mfa), signal = a?.signal;
    const ceremony = await wasm.passkeyCeremony(c, this.#issuer, a?.mediation == 'conditional', signal);
    return this.#d.webauthnGrant({ ceremony, mfaToken: a?.mfaToken, signal });
  }
}

// Low-level API: one request per call, no state.
const lazy = (name) => async (options, args) => (await ready(), wasm[name](options, args));
export const passwordGrant = lazy('passwordGrant');
export const otpGrant = lazy('otpGrant');
export const mfaOtpGrant = lazy('mfaOtpGrant');
export const oobGrant = lazy('oobGrant');
export const challengeRequest = lazy('challengeRequest');
export const primaryAuthenticate = lazy('primaryAuthenticate');
export const refreshTokenGrant = lazy('refreshTokenGrant');
// A client per call, as the other low-level functions validate the options per call.
const once = (m) => async (options, args) => (await ready(), (await wasm.DirectAuth.create(options))[m](args));
export const webauthnChallengeRequest = once('passkeyChallenge');
export const webauthnGrant = once('webauthnGrant');
export const replacePassword = lazy('replacePassword');
