// okta-direct-auth — public TypeScript API.
//
// This file is the contract between the Rust/wasm implementation (src/api) and its users.
// Every name here is implemented by the wasm exports; the npm entry (index.js) only loads
// the wasm lazily on first use and re-exports. Change both together.

/** Out-of-band channels Okta can use. */
export type Channel = 'push' | 'sms' | 'voice';

/** How the user proves possession of an out-of-band challenge. */
export type BindingMethod =
  /** Push without number challenge: wait for approval (`waitForApproval`). */
  | 'none'
  /** Push with number challenge: show `bindingCode` to the user, then `waitForApproval`. */
  | 'transfer'
  /** SMS / voice: ask the user for the code they received, then `verifyOob`. */
  | 'prompt';

/** Grant types this SDK speaks (the exact `grant_type` values sent to `/token`). */
export type GrantType =
  | 'password'
  | 'urn:okta:params:oauth:grant-type:otp'
  | 'urn:okta:params:oauth:grant-type:oob'
  | 'http://auth0.com/oauth/grant-type/mfa-otp'
  | 'http://auth0.com/oauth/grant-type/mfa-oob';

/** Endpoint URLs, each overridable (e.g. a same-origin proxy for `/token`). */
export interface Endpoints {
  token?: string;
  challenge?: string;
  /** `/primary-authenticate` (or `/oob-authenticate` with `primaryOobEndpoint: 'oob-authenticate'`). */
  primaryAuthenticate?: string;
  userinfo?: string;
  revoke?: string;
  keys?: string;
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
  /** Override endpoint URLs one by one (default: derived from `issuer`, or from `proxy`); an override wins. */
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
  /** Per-request timeout in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Seconds added to the polling interval on each `slow_down`. Default 5 (RFC 8628). */
  slowDownIncrementSeconds?: number;
  /** Allowed clock skew, in seconds, when checking ID token times. Default 300. */
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
}

/** One poll of `/token` for an out-of-band code (low-level API). */
export type PollResult = SignInResult | { status: 'pending' } | { status: 'slow_down' };

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
  /** The user denied the push (`invalid_grant`, user rejected). */
  | 'denied'
  /** The `oob_code` or `mfa_token` expired (Okta's 403 `access_denied`, or the local `expires_in` ran out). */
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
  | 'proxy';

/** The one error type every promise rejects with. */
export declare class DirectAuthError extends Error {
  readonly name: 'DirectAuthError';
  readonly kind: ErrorKind;
  /** Okta's `error` (e.g. `invalid_grant`) for `oauth`/`denied`/`expired`/`rate_limited`, else a local code. */
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

  /** OTP as the only factor: `/token`, grant `urn:okta:params:oauth:grant-type:otp`. */
  signInWithOtp(args: { username: string; otp: string } & CallOptions): Promise<SignInResult>;
  /** Password first: `/token`, grant `password`. Usually answers `mfa_required`. */
  signInWithPassword(args: { username: string; password: string } & CallOptions): Promise<SignInResult>;
  /** Second factor by OTP: `/token`, grant `http://auth0.com/oauth/grant-type/mfa-otp`. */
  verifyMfaOtp(args: { mfaToken: string; otp: string } & CallOptions): Promise<SignInResult>;
  /** Second factor out-of-band: `/challenge` with the `mfa_token`. */
  challenge(args: { mfaToken: string; channel: Channel } & CallOptions): Promise<OobChallenge>;
  /** Out-of-band as the only factor: `/primary-authenticate` (or `/oob-authenticate`). */
  startOob(args: { username: string; channel: Channel } & CallOptions): Promise<OobChallenge>;
  /** SMS / voice: exchange the code the user typed (`binding_code`). One request, no polling. */
  verifyOob(challenge: OobChallenge, args: { bindingCode: string } & CallOptions): Promise<SignInResult>;
  /**
   * Push (`bindingMethod` `none` or `transfer`): polls `/token` at Okta's `interval` (5 s when absent),
   * adds `slowDownIncrementSeconds` on each `slow_down`, stops at `expiresIn` (rejects `kind: 'expired'`),
   * retries network failures, 5xx and 429 a few times with back-off (after a 429, not before Okta's
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
   * Verifies an ID token: RS256 signature against the issuer's `/keys` (WebCrypto), `iss`, `aud`,
   * `exp` and `iat` (with `clockSkewSeconds`). Rejects with `kind: 'protocol'` when any check fails.
   * The keys are fetched once per `DirectAuth` and reused for an hour; a token naming a key they
   * lack (Okta rotated its keys) fetches them again.
   */
  verifyIdToken(idToken: string, options?: CallOptions): Promise<IdTokenClaims>;
}

/**
 * Loads and instantiates the wasm, once (later calls return the same promise; a failed load is
 * retried on the next call). Every async function here awaits it itself: call it only before the
 * synchronous `decodeJwtClaims`, or to start loading early. Rejects with a `DirectAuthError`
 * (`code: 'wasm_load_failed'`, `kind: 'network'` or `'config'`).
 */
export declare function ready(): Promise<void>;

/**
 * Decodes a JWT's payload without verifying anything (for display only). Synchronous, so the wasm
 * must be loaded: after `await ready()` or any awaited call. Before that it throws a
 * `DirectAuthError` with `kind: 'config'`, `code: 'not_ready'`.
 */
export declare function decodeJwtClaims(jwt: string): Record<string, unknown>;

// Low-level API: one function per request, no polling, no state. `options` is the same object
// `DirectAuth.create` takes (validated on every call).
export declare function passwordGrant(options: DirectAuthOptions, args: { username: string; password: string } & CallOptions): Promise<SignInResult>;
export declare function otpGrant(options: DirectAuthOptions, args: { username: string; otp: string } & CallOptions): Promise<SignInResult>;
export declare function mfaOtpGrant(options: DirectAuthOptions, args: { mfaToken: string; otp: string } & CallOptions): Promise<SignInResult>;
/** `urn:okta:params:oauth:grant-type:oob` (no `mfaToken`) or `mfa-oob` (with), with or without `bindingCode`. */
export declare function oobGrant(options: DirectAuthOptions, args: { oobCode: string; mfaToken?: string; bindingCode?: string } & CallOptions): Promise<PollResult>;
export declare function challengeRequest(options: DirectAuthOptions, args: { mfaToken: string; channel: Channel } & CallOptions): Promise<OobChallenge>;
export declare function primaryAuthenticate(options: DirectAuthOptions, args: { username: string; channel: Channel } & CallOptions): Promise<OobChallenge>;
export declare function refreshTokenGrant(options: DirectAuthOptions, args: RefreshArgs & CallOptions): Promise<Tokens>;
