// okta-direct-auth — npm entry (types: index.d.ts).
// Importing this module runs no wasm and touches no browser global (safe under SSR and in
// workers). The wasm is fetched and instantiated once, on the first async call, or by `ready()`.
import init, * as wasm from './okta_direct_auth.js';

let loading; // the memoised init promise (reset when loading failed, so a later call retries)
let loaded = false;
let WasmError; // the wasm side's DirectAuthError class, once loaded

/** Loads the wasm once. Every async function awaits it; await it yourself before `decodeJwtClaims`. */
export function ready() {
  return (loading ||= init({
    // A literal `new URL('./…', import.meta.url)`: Vite and webpack 5 emit the .wasm as an asset
    // with no plugin, and a plain <script type="module"> resolves it beside this file.
    module_or_path: new URL('./okta_direct_auth_bg.wasm', import.meta.url),
  }).then(
    () => {
      WasmError = wasm.directAuthErrorClass();
      loaded = true;
    },
    (e) => {
      loading = undefined;
      throw fail(
        e instanceof TypeError ? 'network' : 'config',
        'wasm_load_failed',
        'Could not load okta_direct_auth_bg.wasm',
        'Serve okta_direct_auth_bg.wasm beside index.js (ideally as application/wasm); with a Content-Security-Policy, allow \'wasm-unsafe-eval\' in script-src.',
        e,
      );
    },
  ));
}

/**
 * The one error type every promise rejects with. `instanceof DirectAuthError` matches the errors
 * the wasm throws (its own class, loaded with the wasm) and the few this file throws before then.
 */
export class DirectAuthError extends Error {
  static [Symbol.hasInstance](x) {
    return (WasmError !== undefined && x instanceof WasmError) || DirectAuthError.prototype.isPrototypeOf(x);
  }
}

function fail(kind, code, message, hint, cause) {
  return Object.assign(new DirectAuthError(message, { cause }), { name: 'DirectAuthError', kind, code, hint });
}

/** Decodes a JWT's payload without verifying it (display only). Synchronous: `await ready()` first. */
export function decodeJwtClaims(jwt) {
  if (!loaded) {
    throw fail('config', 'not_ready', 'decodeJwtClaims() was called before the wasm was loaded',
      'await ready() (or any async call such as DirectAuth.create) before calling decodeJwtClaims().');
  }
  return wasm.decodeJwtClaims(jwt);
}

/** A client bound to one set of options. Create it with `await DirectAuth.create(options)`. */
export class DirectAuth {
  #d;
  constructor(inner) {
    if (!(inner instanceof wasm.DirectAuth)) {
      throw fail('config', 'use_create', 'DirectAuth has no public constructor', 'Use `await DirectAuth.create(options)`.');
    }
    this.#d = inner;
  }
  static async create(options) {
    await ready();
    return new DirectAuth(await wasm.DirectAuth.create(options));
  }
  get endpoints() { return this.#d.endpoints; }
  signInWithOtp(args) { return this.#d.signInWithOtp(args); }
  signInWithPassword(args) { return this.#d.signInWithPassword(args); }
  verifyMfaOtp(args) { return this.#d.verifyMfaOtp(args); }
  challenge(args) { return this.#d.challenge(args); }
  startOob(args) { return this.#d.startOob(args); }
  verifyOob(challenge, args) { return this.#d.verifyOob(challenge, args); }
  waitForApproval(challenge, options) { return this.#d.waitForApproval(challenge, options); }
  refresh(args) { return this.#d.refresh(args); }
  revoke(args) { return this.#d.revoke(args); }
  userinfo(args) { return this.#d.userinfo(args); }
  verifyIdToken(idToken, options) { return this.#d.verifyIdToken(idToken, options); }
}

// Low-level API: one request per call, no state. Each awaits the wasm first.
const lazy = (name) => async (options, args) => {
  await ready();
  return wasm[name](options, args);
};
export const passwordGrant = lazy('passwordGrant');
export const otpGrant = lazy('otpGrant');
export const mfaOtpGrant = lazy('mfaOtpGrant');
export const oobGrant = lazy('oobGrant');
export const challengeRequest = lazy('challengeRequest');
export const primaryAuthenticate = lazy('primaryAuthenticate');
export const refreshTokenGrant = lazy('refreshTokenGrant');
