// okta-direct-auth — public TypeScript API.
//
// This file is the contract between the Rust/wasm implementation (src/api) and its users.
// Every name here is implemented by the wasm exports; the npm entry (index.js) only loads
// the wasm lazily on first use and re-exports. Change both together.

/** Out-of-band channels Okta can use. */
export type Channel = 'push' | 'sms' | 'voice' | 'email';

/** How the user proves possession of an out-of-band challenge. */
export type BindingMethod =
  /** Push without number challenge: wait for approval (`waitForApproval`). */
  | 'none'
  /** Push with number challenge: show `bindingCode` to the user, then `waitForApproval`. */
  | 'transfer'
  /** SMS / voice / email: ask the user for the code they received, then `verifyOob`. */
  | 'prompt';

/**
 * What a factor proves: absent for a sign-in; `'recovery'` to prove who forgot their password.
 * Recovery token requests carry the recovery parameter (`recoveryParameter`) and only the scope
 * `okta.myAccount.password.manage`; their access token is for `replacePassword`.
 */
export type Intent = 'recovery';

/** Grant types this SDK speaks (the exact `grant_type` values sent to `/token`). */
export type GrantType =
  | 'password'
  | 'urn:okta:params:oauth:grant-type:otp'
  | 'urn:okta:params:oauth:grant-type:oob'
  | 'http://auth0.com/oauth/grant-type/mfa-otp'
  | 'http://auth0.com/oauth/grant-type/mfa-oob'
  | 'urn:okta:params:oauth:grant-type:webauthn'
  | 'urn:okta:params:oauth:grant-type:mfa-webauthn';

/** Endpoint URLs, each overridable (e.g. a same-origin proxy for `/token`). */
export interface Endpoints {
  token?: string;
  challenge?: string;
  /** `/primary-authenticate` (or `/oob-authenticate` with `primaryOobEndpoint: 'oob-authenticate'`). */
  primaryAuthenticate?: string;
  userinfo?: string;
  revoke?: string;
  keys?: string;
  /** `PUT` for `replacePassword`. Default `{org}/idp/myaccount/password`: on the org (the issuer's origin), not under `/oauth2`. */
  myAccountPassword?: string;
}

export interface DirectAuthOptions {
  /**
   * The authorization server's issuer: `https://{yourOktaDomain}` for the org server,
   * `https://{yourOktaDomain}/oauth2/{authServerId}` for a custom one (`default` is built in).
   * `http:` is refused except on loopback (127.0.0.1, [::1], localhost).
   */
  issuer: string;
  /** The client ID of a public (no secret) app with the direct-auth grants enabled. */
  clientId: string;
  /** Scopes requested on every grant of a transaction. Must include `openid`. Default `['openid', 'profile']`. */
  scopes?: string[];
  /** `acr_values`, sent unchanged on every request of a transaction. */
  acrValues?: string[];
  /** When set, sent as `grant_types_supported` on every `/token` request. Default: not sent. */
  grantTypesSupported?: GrantType[];
  /**
   * Endpoint that starts an out-of-band factor as the only factor. Default `'primary-authenticate'`
   * (current Okta docs, sends `challenge_hint`); `'oob-authenticate'` for older orgs.
   */
  primaryOobEndpoint?: 'primary-authenticate' | 'oob-authenticate';
  /**
   * How recovery token requests say so: `'prompt'` sends `prompt=recover_authenticator` (Okta's
   * Kotlin SDK), `'intent'` sends `intent=recovery` (Okta's Swift SDK). Default `'prompt'`.
   */
  recoveryParameter?: 'prompt' | 'intent';
  /**
   * Override endpoint URLs one by one (default: derived from `issuer`, or from `proxy`; an override
   * wins): an object, or `kind: 'config'` (`invalid_endpoints`), so a mistyped override never
   * silently means the issuer's own URLs.
   */
  endpoints?: Endpoints;
  /**
   * okta-direct-auth-proxy's mount: a same-origin path (`'/okta'`) or a URL
   * (`https://app.example.com/okta`; `http:` only on loopback). Every endpoint becomes the proxy
   * followed by the issuer's path (`/okta/oauth2/default/v1/token`), while `issuer` stays Okta's
   * for ID token checks. Okta refuses its Direct Authentication grants from a browser, so a web
   * app needs this (or its own backend). With custody on at the proxy, token results carry
   * `refreshTokenCustody: 'proxy'` instead of a refresh token.
   */
  proxy?: string;
  /**
   * `fetch` credentials mode. Default `'same-origin'` with `proxy` (the proxy's custody cookie
   * must travel; a proxy on a sibling origin needs `'include'`), `'omit'` otherwise.
   */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Per-request timeout in milliseconds: a whole number from 1 to 600000. Default 30000. */
  timeoutMs?: number;
  /** Seconds added to the polling interval on each `slow_down`: a whole number from 0 to 300. Default 5 (RFC 8628). */
  slowDownIncrementSeconds?: number;
  /** Allowed clock skew, in seconds, when checking ID token times: a whole number from 0 to 3600. Default 300. */
  clockSkewSeconds?: number;
}

/** Per-call options every method accepts. */
export interface CallOptions {
  /** Aborts the request (and any wait); the promise rejects with `kind: 'aborted'`. */
  signal?: AbortSignal;
}

interface TokenFields {
  tokenType: string;
  accessToken: string;
  /** Lifetime in seconds, as Okta sent it. */
  expiresIn: number;
  /** `Date.now()`-style milliseconds when the access token expires, computed at receipt. */
  expiresAt: number;
  scope?: string;
  idToken?: string;
}

/** Tokens as Okta sent them (no proxy, or a proxy with custody off). */
export interface ClientHeldTokens extends TokenFields {
  /** With `offline_access`: pass it to `refresh()`. */
  refreshToken?: string;
  refreshTokenCustody?: undefined;
}

/**
 * Tokens through okta-direct-auth-proxy with refresh-token custody: no refresh token reaches the
 * page. `'proxy'`: the proxy holds one in its `HttpOnly` cookie, so `refresh({})` needs none;
 * `'none'`: Okta issued none (no `offline_access`).
 */
export interface ProxyHeldTokens extends TokenFields {
  refreshToken?: never;
  refreshTokenCustody: 'proxy' | 'none';
}

export type Tokens = ClientHeldTokens | ProxyHeldTokens;

/**
 * `refresh()`: the refresh token, or, when the proxy holds it (`refreshTokenCustody: 'proxy'`),
 * none (only with the `proxy` option; rejects `kind: 'input'` otherwise).
 */
export type RefreshArgs =
  | { refreshToken: string; scopes?: string[] }
  | { refreshToken?: undefined; refreshTokenCustody?: 'proxy'; scopes?: string[] };

/**
 * `revoke()`: a token, or with the `proxy` option `{ tokenTypeHint: 'refresh_token' }` alone,
 * which revokes the refresh token the proxy holds and clears its cookie.
 */
export type RevokeArgs =
  | { token: string; tokenTypeHint?: 'access_token' | 'refresh_token' }
  | { token?: undefined; tokenTypeHint: 'refresh_token' };

/** `endProxySession()`: `revoked` is false when the proxy held no refresh token. */
export interface ProxySignOut {
  signedOut: true;
  revoked: boolean;
}

/** The outcome of every grant that can finish a sign-in. */
export type SignInResult =
  | { status: 'success'; tokens: Tokens }
  | {
      status: 'mfa_required';
      /** Ties the next steps (`verifyMfaOtp`, `challenge`) to this transaction. */
      mfaToken: string;
      /** Challenge types Okta said it supports, when it said (space-separated on the wire). */
      supportedChallengeTypes?: string[];
    }
  | {
      /**
       * MFA attestation (`acrValues: ['urn:okta:app:mfa:attestation']`, confidential clients only):
       * Okta vouches that the user passed MFA with an ID token (its `acr` is the attestation value)
       * and issues no access or refresh token. Verify `idToken` with `verifyIdToken`.
       */
      status: 'attested';
      idToken: string;
      scope?: string;
    };

/** A started out-of-band factor (`startOob` or `challenge`). Pass it back unchanged. */
export interface OobChallenge {
  oobCode: string;
  channel: Channel;
  bindingMethod: BindingMethod;
  /** Present when `bindingMethod === 'transfer'`: the number to show the user. */
  bindingCode?: string;
  /** Seconds the code is valid, as Okta sent it. */
  expiresIn: number;
  /** Milliseconds since the epoch when the code expires, computed at receipt. */
  expiresAt: number;
  /** Minimum seconds between polls, when Okta sent it (push). */
  interval?: number;
  /** Present when this challenge is a second factor (from `challenge`). */
  mfaToken?: string;
  /** Present when started for a recovery (`startOob({ …, intent: 'recovery' })`): `verifyOob` / `waitForApproval` finish it as one. */
  intent?: Intent;
}

/** How the browser asks for the passkey (`navigator.credentials.get`'s `mediation`): `'conditional'` is passkey autofill. */
export type PasskeyMediation = 'conditional';

export interface PasskeySignInArgs extends CallOptions {
  /** The user's login (`login_hint`): only their passkeys may answer. Without it, any discoverable passkey of the RP ID. */
  username?: string;
  /**
   * `'conditional'`: passkey autofill: the browser offers passkeys in the username field's
   * suggestions (`<input autocomplete="username webauthn">`) and the promise settles only when the user
   * picks one; abort it (`signal`) before starting another sign-in.
   */
  mediation?: PasskeyMediation;
}

export interface PasskeyVerifyArgs extends CallOptions {
  /** From the `mfa_required` result. */
  mfaToken: string;
  /**
   * Where the challenge is asked for: `'challenge'` (default: `/challenge` with
   * `challenge_types_supported`, as Okta's Kotlin SDK does) or `'primary-authenticate'`
   * (`/primary-authenticate` with `mfa_token` and `challenge_hint`, as Okta's Swift SDK does).
   */
  endpoint?: 'challenge' | 'primary-authenticate';
  mediation?: PasskeyMediation;
}

/** A passkey challenge (low-level `webauthnChallengeRequest`). */
export interface PasskeyChallenge {
  challengeType?: 'urn:okta:params:oauth:grant-type:webauthn' | 'urn:okta:params:oauth:grant-type:mfa-webauthn' | (string & {});
  /**
   * Okta's request options unchanged (base64url members), for `PublicKeyCredential.parseRequestOptionsFromJSON()`.
   * `signInWithPasskey` / `verifyWithPasskey` adjust them first as Okta's SDKs do; with this low-level call
   * that is yours to do: fill an absent `rpId` from `extensions.appid`'s host, else the issuer's; parse a
   * `transports` sent as a JSON-encoded string; drop an `extensions.appid` of another domain than the RP ID.
   */
  publicKey: {
    challenge: string;
    rpId?: string;
    allowCredentials?: { id: string; type: 'public-key'; transports?: string[] | string }[];
    timeout?: number;
    userVerification?: 'required' | 'preferred' | 'discouraged';
    hints?: string[];
    extensions?: Record<string, unknown>;
  };
}

/** The assertion's base64url members (`credential.toJSON().response`), for the low-level `webauthnGrant`. */
export interface PasskeyAssertion {
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
  userHandle?: string;
}

/** One poll of `/token` for an out-of-band code (low-level API). */
export type PollResult = SignInResult | { status: 'pending' } | { status: 'slow_down' };

export interface VerifyIdTokenOptions extends CallOptions {
  /**
   * Refuse a token issued (or, when it has `auth_time`, whose user authenticated) longer ago than
   * this many seconds, plus `clockSkewSeconds` (`code: 'id_token_too_old'`). A whole number from 0
   * to 4294967295. Default: no limit (only `exp` counts).
   */
  maxAgeSeconds?: number;
}

export interface WaitOptions extends CallOptions {
  /** Called after each `authorization_pending`, with the whole seconds left before the code expires. */
  onPending?: (secondsLeft: number) => void;
}

/** Claims of a verified ID token (the standard ones typed; others kept as Okta sent them). */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  auth_time?: number;
  amr?: string[];
  name?: string;
  email?: string;
  preferred_username?: string;
  [claim: string]: unknown;
}

export type ErrorKind =
  /** Okta answered with an OAuth error (`code` is its `error`): wrong OTP, bad password, grant not enabled… */
  | 'oauth'
  /**
   * The user denied the push (`oob_rejected`, or `invalid_grant` on a push poll). An `oob_code` Okta
   * does not know or already exchanged is `oauth` with `code: 'invalid_oob_code'`, not this.
   */
  | 'denied'
  /**
   * The `oob_code` or `mfa_token` expired (Okta's 403 `access_denied`, or the local `expires_in` ran out).
   * An expired *password* is not this: it is `oauth` with `code: 'password_expired'`.
   */
  | 'expired'
  /** HTTP 429 or too many failed attempts: wait before retrying. */
  | 'rate_limited'
  /** The request did not reach Okta or its answer was blocked (offline, DNS, CORS / Trusted Origins). */
  | 'network'
  /** No answer within `timeoutMs`. */
  | 'timeout'
  /** The caller's `AbortSignal` fired. */
  | 'aborted'
  /** The answer is not what Okta sends (HTML from a proxy, truncated JSON, 200 without a token, 5xx page). */
  | 'protocol'
  /** The `DirectAuth` options are wrong (issuer, client ID, scopes). */
  | 'config'
  /** A call argument is wrong (empty username, OTP not 6–8 digits, unknown channel). Nothing was sent. */
  | 'input'
  /**
   * okta-direct-auth-proxy refused the request itself; `code` is its `proxy_reason`
   * (`origin_not_allowed` → add the page's origin to `app_origins`; `custody_cookie_*` → sign in
   * again; `upstream_*` → Okta unreachable, retry). Its rate limits are `rate_limited`.
   */
  | 'proxy'
  /**
   * The browser's passkey request failed; nothing more was sent. `code`: `passkey_not_allowed`
   * (the user cancelled, it timed out, or no passkey here matches: `NotAllowedError`),
   * `passkey_security_error` (the RP ID is not valid for this page's origin: `SecurityError`; passkeys
   * enrolled at *.okta.com are bound to okta.com: the org needs a custom RP ID on the app's domain),
   * `passkey_failed` (any other failure: no WebAuthn in this browser or not a secure context,
   * `NotSupportedError`, …). An `AbortError` is `kind: 'aborted'`.
   */
  | 'passkey'
  /**
   * `replacePassword`: Okta refused the new password (`code` is a `PasswordErrorCode`). `description`
   * is Okta's reason (e.g. its password requirements) and `hint` what to do, both for the person.
   */
  | 'password';

/** The codes of `kind: 'password'` errors. */
export type PasswordErrorCode =
  /** Too short, missing a character class, or containing a part of the username (Okta's policy). */
  | 'password_requirements_not_met'
  /** The current password or one of the last few. */
  | 'password_reused';

/** The one error type every promise rejects with. */
export declare class DirectAuthError extends Error {
  readonly name: 'DirectAuthError';
  readonly kind: ErrorKind;
  /**
   * Okta's `error` (e.g. `invalid_grant`) for `oauth`/`denied`/`expired`/`rate_limited`, else a local
   * code. Two Okta answers get a code of their own (Okta's description is kept in `description`):
   * `password_expired` (400 `invalid_grant` "Password has expired." or 403 `access_denied` "The user's
   * password is expired.": the user must change the password) and `invalid_oob_code` (400
   * `invalid_grant` "The 'oob_code' is invalid.": unknown or already exchanged; start the factor again).
   * Local `protocol` codes include `unexpected_redirect` (a 3xx: never followed, nothing re-sent),
   * `response_too_large` (a body over 256 KiB, not read further) and the ID token checks'
   * `invalid_id_token_*`, `id_token_expired`, `id_token_too_old`, `unknown_signing_key`.
   */
  readonly code: string;
  /** Okta's `error_description` (or `errorSummary`), when it sent one. */
  readonly description?: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** What to do about it, in one sentence for a developer. */
  readonly hint: string;
  /** Okta API error form only: `errorCode` (e.g. `E0000047`). */
  readonly oktaErrorCode?: string;
  /**
   * `rate_limited` only: whole seconds until Okta takes requests again, from the 429's
   * `Retry-After` or `X-Rate-Limit-Reset` (against the device clock). Absent when the response had
   * neither or CORS hid them (a cross-origin page reads them only if they are listed in
   * `Access-Control-Expose-Headers`; a same-origin proxy passes them).
   */
  readonly retryAfter?: number;
}

export declare class DirectAuth {
  private constructor();
  /** Validates the options (rejects with `kind: 'config'`) and loads the wasm on first use. */
  static create(options: DirectAuthOptions): Promise<DirectAuth>;

  /** The endpoints this client will call (after derivation and overrides). */
  readonly endpoints: Required<Endpoints> & { oobAuthenticate: string; sessionEnd?: string };

  /** OTP as the only factor: `/token`, grant `urn:okta:params:oauth:grant-type:otp`. With `intent: 'recovery'`, a recovery. */
  signInWithOtp(args: { username: string; otp: string; intent?: Intent } & CallOptions): Promise<SignInResult>;
  /** Password first: `/token`, grant `password`. Usually answers `mfa_required`. */
  signInWithPassword(args: { username: string; password: string } & CallOptions): Promise<SignInResult>;
  /** Second factor by OTP: `/token`, grant `http://auth0.com/oauth/grant-type/mfa-otp`. */
  verifyMfaOtp(args: { mfaToken: string; otp: string } & CallOptions): Promise<SignInResult>;
  /** Second factor out-of-band: `/challenge` with the `mfa_token`. */
  challenge(args: { mfaToken: string; channel: Channel } & CallOptions): Promise<OobChallenge>;
  /**
   * Out-of-band as the only factor: `/primary-authenticate` (or `/oob-authenticate`). With
   * `intent: 'recovery'`, the challenge is a recovery's: `verifyOob` / `waitForApproval` send the
   * recovery parameter and scope.
   */
  startOob(args: { username: string; channel: Channel; intent?: Intent } & CallOptions): Promise<OobChallenge>;
  /** SMS / voice / email: exchange the code the user typed (`binding_code`). One request, no polling. */
  verifyOob(challenge: OobChallenge, args: { bindingCode: string } & CallOptions): Promise<SignInResult>;
  /**
   * Push (`bindingMethod` `none` or `transfer`): polls `/token` at Okta's `interval` (5 s when absent),
   * adds `slowDownIncrementSeconds` on each `slow_down`, stops at `expiresIn` (rejects `kind: 'expired'`),
   * retries network failures, 5xx, 429 and Okta's `server_error` / `temporarily_unavailable` (at any
   * status) a few times with back-off (after a 429, not before Okta's
   * rate-limit reset when it can be read; a reset after the code expires rejects at once), and stops
   * at once on `signal`.
   */
  waitForApproval(challenge: OobChallenge, options?: WaitOptions): Promise<SignInResult>;

  /** `/token`, grant `refresh_token` (needs `offline_access`); no refresh token when the proxy holds it. */
  refresh(args: RefreshArgs & CallOptions): Promise<Tokens>;
  /** `/revoke`. Resolves for unknown or expired tokens too, as Okta does. */
  revoke(args: RevokeArgs & CallOptions): Promise<void>;
  /**
   * The proxy's sign-out (`POST {proxy}/session/end`): it revokes the refresh token it holds and
   * clears its cookie. Only with the `proxy` option (rejects `kind: 'config'` otherwise).
   */
  endProxySession(options?: CallOptions): Promise<ProxySignOut>;
  /** `/userinfo` with the access token. */
  userinfo(args: { accessToken: string } & CallOptions): Promise<Record<string, unknown>>;
  /**
   * The last step of a recovery: `PUT {org}/idp/myaccount/password` (`Accept: application/json;
   * okta-version=1.0.0`, `{"profile":{"password":…}}`) with the recovery's access token. The new
   * password works at once. A refused password rejects with `kind: 'password'`; an expired or
   * wrong token with `kind: 'oauth'` (`invalid_token` / `insufficient_scope`).
   */
  replacePassword(args: { accessToken: string; password: string } & CallOptions): Promise<void>;
  /**
   * Verifies an ID token: `alg` RS256 and its signature against the issuer's `/keys` (WebCrypto)
   * first, then `iss`, `aud` (with several audiences, `azp` must be the client ID), `exp` not past
   * and `iat` not in the future (each with `clockSkewSeconds`), `sub`, and `maxAgeSeconds` when
   * given. Rejects with `kind: 'protocol'` when any check fails. The keys are cached per `DirectAuth`
   * instance (two instances with the same options each fetch their own) and reused for an hour; a
   * token naming a key they lack (Okta rotated its keys) fetches them again past the browser's HTTP
   * cache, at most once every 30 seconds per instance.
   */
  verifyIdToken(idToken: string, options?: VerifyIdTokenOptions): Promise<IdTokenClaims>;

  /**
   * Sign in with a passkey: `/primary-authenticate` (`challenge_hint` webauthn, `login_hint` when
   * `username` is given), `navigator.credentials.get`, then `/token` with grant
   * `urn:okta:params:oauth:grant-type:webauthn`. May answer `mfa_required`. The page must be on the RP
   * ID's domain (or under it) and a Trusted Origin; `signal` also cancels the browser's prompt.
   * (Given an `mfaToken` anyway, it verifies as `verifyWithPasskey` does.)
   */
  signInWithPasskey(args?: PasskeySignInArgs): Promise<SignInResult>;
  /**
   * Second factor by passkey after `mfa_required`: the challenge (see `endpoint`), `navigator.credentials.get`,
   * then `/token` with grant `urn:okta:params:oauth:grant-type:mfa-webauthn` and the `mfa_token`.
   */
  verifyWithPasskey(args: PasskeyVerifyArgs): Promise<SignInResult>;
}

/**
 * Loads and instantiates the wasm, once (later calls return the same promise; a failed load is
 * retried on the next call). Every async function here awaits it itself: call it only to start
 * loading early and see a failure. Rejects with a `DirectAuthError` (`code: 'wasm_load_failed'`,
 * `kind: 'network'` or `'config'`).
 */
export declare function ready(): Promise<void>;

/**
 * Starts fetching and compiling the wasm now, and returns at once (nothing to await, nothing
 * thrown): for a page that is about to sign someone in, call it when the login form shows (or at
 * the top of the login page's module). A failed load is retried by the next call, which rejects
 * with it. Does nothing without `location` (server-side rendering). Unlike a
 * `<link rel="preload" as="fetch" crossorigin>`, it needs no URL: bundlers rename the wasm.
 */
export declare function preload(): void;

/**
 * Decodes a JWT's payload without verifying anything (for display only). Synchronous plain JS: it
 * works before the wasm has loaded (and under SSR). A malformed token (not three base64url parts,
 * header or payload not a JSON object in UTF-8) throws a `DirectAuthError` with
 * `kind: 'protocol'`, `code: 'invalid_jwt'`.
 */
export declare function decodeJwtClaims(jwt: string): Record<string, unknown>;

// Low-level API: one function per request, no polling, no state. `options` is the same object
// `DirectAuth.create` takes (validated on every call).
export declare function passwordGrant(options: DirectAuthOptions, args: { username: string; password: string } & CallOptions): Promise<SignInResult>;
export declare function otpGrant(options: DirectAuthOptions, args: { username: string; otp: string; intent?: Intent } & CallOptions): Promise<SignInResult>;
export declare function mfaOtpGrant(options: DirectAuthOptions, args: { mfaToken: string; otp: string } & CallOptions): Promise<SignInResult>;
/** `urn:okta:params:oauth:grant-type:oob` (no `mfaToken`) or `mfa-oob` (with), with or without `bindingCode`. */
export declare function oobGrant(options: DirectAuthOptions, args: { oobCode: string; mfaToken?: string; bindingCode?: string; intent?: Intent } & CallOptions): Promise<PollResult>;
export declare function challengeRequest(options: DirectAuthOptions, args: { mfaToken: string; channel: Channel } & CallOptions): Promise<OobChallenge>;
export declare function primaryAuthenticate(options: DirectAuthOptions, args: { username: string; channel: Channel; intent?: Intent } & CallOptions): Promise<OobChallenge>;
export declare function refreshTokenGrant(options: DirectAuthOptions, args: RefreshArgs & CallOptions): Promise<Tokens>;
/** A passkey challenge: primary without `mfaToken` (`username` optional), MFA with it (see `PasskeyVerifyArgs.endpoint`). */
export declare function webauthnChallengeRequest(
  options: DirectAuthOptions,
  args: ({ username?: string; mfaToken?: undefined; endpoint?: undefined } | { mfaToken: string; endpoint?: 'challenge' | 'primary-authenticate' }) & CallOptions,
): Promise<PasskeyChallenge>;
/** `urn:okta:params:oauth:grant-type:webauthn` (no `mfaToken`) or `…:mfa-webauthn` (with) with the assertion. */
export declare function webauthnGrant(options: DirectAuthOptions, args: PasskeyAssertion & { mfaToken?: string } & CallOptions): Promise<SignInResult>;
/** `PUT {org}/idp/myaccount/password` with a recovery's access token (see `DirectAuth#replacePassword`). */
export declare function replacePassword(options: DirectAuthOptions, args: { accessToken: string; password: string } & CallOptions): Promise<void>;

// ---------------------------------------------------------------------------------------------
// Sessions (optional): a verified sign-in, its tokens kept, refreshed once across tabs, signed
// out everywhere. The stateless API above stays as it is; a session is built on it.

/**
 * Where a session keeps its record (one key per issuer and client).
 * - `'memory'` (default): gone with the page; each tab signs in on its own; nothing for an XSS
 *   to find in storage after a reload, but no session survives a reload either.
 * - `'sessionStorage'`: survives reloads of this tab only.
 * - `'localStorage'`: shared by every tab of the origin and kept across restarts: the longest-lived,
 *   and readable by any script on the origin (XSS).
 * - an app-supplied store (e.g. IndexedDB, an encrypted store); each method may return a promise.
 */
export type SessionStorage =
  | 'memory'
  | 'sessionStorage'
  | 'localStorage'
  | {
      get(key: string): string | null | undefined | Promise<string | null | undefined>;
      set(key: string, value: string): void | Promise<void>;
      remove(key: string): void | Promise<void>;
    };

export interface SessionOptions extends DirectAuthOptions {
  /** Default `'memory'`. */
  storage?: SessionStorage;
  /**
   * `getAccessToken()` refreshes when the access token is valid for less than this many seconds
   * (capped at half the token's lifetime). Default 60.
   */
  refreshMarginSeconds?: number;
  /**
   * How long a refresh waits for another tab's refresh (the Web Lock) before it takes the lock
   * over (a frozen tab keeps its locks; a closed one releases them at once). Default
   * `2 * timeoutMs + 1000` (61 s), longer than a live holder's refresh can take.
   */
  lockTimeoutMs?: number;
  /**
   * `'proxy'`: the same-origin proxy keeps the refresh token in an HttpOnly cookie: the session
   * stores none, refreshes without one and signs out through the proxy. Also taken from a
   * sign-in result's `tokens.refreshTokenCustody`.
   */
  refreshTokenCustody?: 'proxy';
}

export type SessionEventType = 'signedIn' | 'tokensRefreshed' | 'signedOut' | 'sessionEnded';

export interface SessionEvent {
  /** `sessionEnded`: a refresh was refused (`invalid_grant`) or the tokens expired with no way to renew them. */
  type: SessionEventType;
  /** `true` when another tab of the origin did it (heard through `BroadcastChannel`). */
  remote: boolean;
}

export declare class Session {
  private constructor();
  /** Creates its `DirectAuth` (rejects with `kind: 'config'`) and reads the stored session, if any. */
  static create(options: SessionOptions): Promise<Session>;
  /** The `DirectAuth` of these options: sign in with it, then hand the result to `signIn`. */
  readonly auth: DirectAuth;
  /** Whether a verified session is held (as last read from the store or heard from another tab). */
  readonly signedIn: boolean;
  /** The claims of the session's verified ID token; `undefined` when signed out. */
  readonly claims: IdTokenClaims | undefined;
  /**
   * Keeps a sign-in result once its ID token verifies (signature and claims, as
   * `verifyIdToken`); otherwise rejects with the verification error and stores nothing. A result
   * that is not `success` or has no ID token rejects with `code: 'not_a_sign_in'`.
   */
  signIn(result: SignInResult, options?: CallOptions): Promise<IdTokenClaims>;
  /**
   * An access token valid for at least `refreshMarginSeconds`, refreshed on read (no timers):
   * once per tab for concurrent calls, once across tabs (Web Locks), the new refresh token
   * replacing the old. Rejects with `not_signed_in`, `session_ended` (the refresh was refused:
   * every tab is signed out), `session_expired`, or the refresh's own error (offline…: the session stays).
   * `forceRefresh`: refresh now if the session can (unless another tab refreshed while this one
   * waited for the lock); concurrent calls in a tab share the first call's refresh.
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /**
   * Revokes the access and refresh tokens (custody: asks the proxy to), clears the store and signs
   * out every tab. The local sign-out always happens; `revoked` says whether both revocations succeeded.
   */
  signOut(): Promise<{ revoked: boolean }>;
  /** Listens to this tab's and the other tabs' events; returns the function that stops listening. */
  on(type: SessionEventType, listener: (event: SessionEvent) => void): () => void;
  /** Stops hearing other tabs (closes the `BroadcastChannel`). */
  close(): void;
}
