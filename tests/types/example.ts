// A strict-mode consumer of every export and type of okta-direct-auth (pkg-template/index.d.ts).
// Compiled with `tsc -p tests/types` (noEmit): it fails when the contract stops being usable as
// documented, or when a misuse below stops being a type error.
import {
  DirectAuth,
  DirectAuthError,
  challengeRequest,
  decodeJwtClaims,
  mfaOtpGrant,
  oobGrant,
  otpGrant,
  passwordGrant,
  preload,
  primaryAuthenticate,
  ready,
  refreshTokenGrant,
  Session,
  webauthnChallengeRequest,
  webauthnGrant,
  replacePassword,
  type BindingMethod,
  type CallOptions,
  type Channel,
  type DirectAuthOptions,
  type Endpoints,
  type ErrorKind,
  type GrantType,
  type IdTokenClaims,
  type Intent,
  type OobChallenge,
  type PasskeyAssertion,
  type PasskeyChallenge,
  type PasskeyMediation,
  type PasskeySignInArgs,
  type PasskeyVerifyArgs,
  type PasswordErrorCode,
  type PollResult,
  type SessionEvent,
  type SessionEventType,
  type SessionOptions,
  type SessionStorage,
  type SignInResult,
  type Tokens,
  type ProxySignOut,
  type VerifyIdTokenOptions,
  type WaitOptions,
} from 'okta-direct-auth';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const grants: GrantType[] = [
  'password',
  'urn:okta:params:oauth:grant-type:otp',
  'urn:okta:params:oauth:grant-type:oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'urn:okta:params:oauth:grant-type:webauthn',
  'urn:okta:params:oauth:grant-type:mfa-webauthn',
];

const proxy = 'https://app.example.com/okta/oauth2/default/v1';
const endpoints: Endpoints = {
  token: `${proxy}/token`,
  challenge: `${proxy}/challenge`,
  primaryAuthenticate: `${proxy}/primary-authenticate`,
  userinfo: `${proxy}/userinfo`,
  revoke: `${proxy}/revoke`,
  keys: `${proxy}/keys`,
  myAccountPassword: 'https://app.example.com/okta/idp/myaccount/password',
};

const options: DirectAuthOptions = {
  issuer: 'https://example.okta.com/oauth2/default',
  clientId: '0oa-demo-spa',
  scopes: ['openid', 'profile', 'offline_access'],
  acrValues: ['urn:okta:loa:2fa:any'],
  grantTypesSupported: grants,
  primaryOobEndpoint: 'primary-authenticate',
  recoveryParameter: 'intent',
  endpoints,
  credentials: 'omit',
  timeoutMs: 30_000,
  slowDownIncrementSeconds: 5,
  clockSkewSeconds: 300,
};

const minimal: DirectAuthOptions = { issuer: 'https://example.okta.com', clientId: '0oa1' };
// @ts-expect-error clientId is required
const noClient: DirectAuthOptions = { issuer: 'https://example.okta.com' };
// @ts-expect-error only the two documented OOB endpoints
const badEndpoint: DirectAuthOptions = { ...minimal, primaryOobEndpoint: 'oob' };
void noClient;
void badEndpoint;

/** What an app does with any error: switch on `kind`, which must stay exhaustive. */
function describe(e: unknown): string {
  if (!(e instanceof DirectAuthError)) return 'not ours';
  const name: 'DirectAuthError' = e.name;
  const parts: string[] = [name, e.code, e.hint, e.message];
  if (e.description !== undefined) parts.push(e.description);
  if (e.status !== undefined) parts.push(String(e.status));
  if (e.oktaErrorCode !== undefined) parts.push(e.oktaErrorCode);
  const retryAfter: number | undefined = e.retryAfter;
  if (retryAfter !== undefined) parts.push(`${retryAfter}`);
  const kind: ErrorKind = e.kind;
  switch (kind) {
    case 'oauth':
    case 'denied':
    case 'expired':
    case 'rate_limited':
    case 'network':
    case 'timeout':
    case 'aborted':
    case 'protocol':
    case 'config':
    case 'input':
    case 'passkey':
    case 'proxy':
      return parts.join(' ');
    case 'password': {
      // For the person choosing the password: Okta's reason, then what to do.
      const code = e.code as PasswordErrorCode;
      return `${code}: ${e.description ?? ''} ${e.hint}`;
    }
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function useTokens(t: Tokens): number {
  const id: string | undefined = t.idToken;
  const refresh: string | undefined = t.refreshToken;
  const scope: string | undefined = t.scope;
  void id;
  void refresh;
  void scope;
  return t.expiresAt - t.expiresIn * 1000 + t.tokenType.length + t.accessToken.length;
}

/** Narrows a SignInResult: tokens only on success, the mfa token only on mfa_required. */
function finish(r: SignInResult): Tokens | string {
  if (r.status === 'success') return r.tokens;
  if (r.status === 'attested') {
    // MFA attestation: an ID token, no access token.
    const scope: string | undefined = r.scope;
    void scope;
    // @ts-expect-error no tokens on attested
    void r.tokens;
    return r.idToken;
  }
  const types: string[] | undefined = r.supportedChallengeTypes;
  void types;
  // @ts-expect-error no tokens on mfa_required
  void r.tokens;
  return r.mfaToken;
}

function describeChallenge(ch: OobChallenge): string {
  const channel: Channel = ch.channel;
  const method: BindingMethod = ch.bindingMethod;
  const interval: number | undefined = ch.interval;
  const mfa: string | undefined = ch.mfaToken;
  void interval;
  void mfa;
  const code: string | undefined = ch.bindingCode;
  return `${channel}/${method}/${code ?? ''}/${ch.oobCode}/${ch.expiresIn}/${ch.expiresAt}`;
}

async function fullFlows(username: string, password: string, otp: string, code: string): Promise<void> {
  preload();
  await ready();
  const auth: DirectAuth = await DirectAuth.create(options);
  const urls: Required<Endpoints> & { oobAuthenticate: string } = auth.endpoints;
  const all: string[] = [urls.token, urls.challenge, urls.primaryAuthenticate, urls.userinfo, urls.revoke, urls.keys, urls.oobAuthenticate];
  void all;

  const controller = new AbortController();
  const call: CallOptions = { signal: controller.signal };

  // OTP as the only factor
  const r1 = await auth.signInWithOtp({ username, otp, ...call });
  finish(r1);

  // password, then each second factor
  const step = await auth.signInWithPassword({ username, password });
  if (step.status === 'mfa_required') {
    const { mfaToken } = step;
    finish(await auth.verifyMfaOtp({ mfaToken, otp }));

    const push = await auth.challenge({ mfaToken, channel: 'push' });
    describeChallenge(push);
    const wait: WaitOptions = {
      signal: controller.signal,
      onPending: (secondsLeft: number) => void secondsLeft.toFixed(0),
    };
    finish(await auth.waitForApproval(push, wait));
    finish(await auth.waitForApproval(push));

    const sms = await auth.challenge({ mfaToken, channel: 'sms' });
    finish(await auth.verifyOob(sms, { bindingCode: code, signal: controller.signal }));

    const mail = await auth.challenge({ mfaToken, channel: 'email' });
    finish(await auth.verifyOob(mail, { bindingCode: code }));
  }

  // email as the only factor
  finish(await auth.verifyOob(await auth.startOob({ username, channel: 'email' }), { bindingCode: code }));

  // out-of-band as the only factor
  const voice = await auth.startOob({ username, channel: 'voice' });
  const r2 = voice.bindingMethod === 'prompt'
    ? await auth.verifyOob(voice, { bindingCode: code })
    : await auth.waitForApproval(voice, { signal: controller.signal });
  const tokens = finish(r2);
  if (typeof tokens === 'string') return;
  useTokens(tokens);

  // after sign-in
  if (tokens.idToken !== undefined) {
    const claims: IdTokenClaims = await auth.verifyIdToken(tokens.idToken, call);
    const recent: VerifyIdTokenOptions = { maxAgeSeconds: 600, signal: controller.signal };
    await auth.verifyIdToken(tokens.idToken, recent);
    // @ts-expect-error maxAgeSeconds is a number of seconds
    await auth.verifyIdToken(tokens.idToken, { maxAgeSeconds: '600' });
    const standard: [string, string, string, number, number] = [claims.iss, claims.sub, claims.aud, claims.exp, claims.iat];
    const optional: [number | undefined, string[] | undefined, string | undefined, string | undefined, string | undefined] =
      [claims.auth_time, claims.amr, claims.name, claims.email, claims.preferred_username];
    const other: unknown = claims['groups'];
    void standard;
    void optional;
    void other;
    const raw: Record<string, unknown> = decodeJwtClaims(tokens.idToken);
    void raw;
  }
  const profile: Record<string, unknown> = await auth.userinfo({ accessToken: tokens.accessToken, ...call });
  void profile;
  if (tokens.refreshToken !== undefined) {
    const fresh: Tokens = await auth.refresh({ refreshToken: tokens.refreshToken, scopes: ['openid'], signal: controller.signal });
    useTokens(fresh);
    const none: void = await auth.revoke({ token: tokens.refreshToken, tokenTypeHint: 'refresh_token' });
    void none;
  }
  await auth.revoke({ token: tokens.accessToken, tokenTypeHint: 'access_token', ...call });
  await auth.revoke({ token: tokens.accessToken });

  // through okta-direct-auth-proxy with refresh-token custody
  const proxied = await DirectAuth.create({ issuer: 'https://example.okta.com/oauth2/default', clientId: 'c', proxy: '/okta' });
  const held = finish(await proxied.signInWithPassword({ username, password: 'p' }));
  if (typeof held !== 'string' && held.refreshTokenCustody === 'proxy') {
    // @ts-expect-error the proxy holds the refresh token: the page never sees one
    const leaked: string = held.refreshToken;
    void leaked;
    useTokens(await proxied.refresh({ refreshTokenCustody: held.refreshTokenCustody }));
    useTokens(await proxied.refresh({ scopes: ['openid'] }));
    await proxied.revoke({ tokenTypeHint: 'refresh_token' });
    const out: ProxySignOut = await proxied.endProxySession({ signal: controller.signal });
    const revoked: boolean = out.revoked;
    void revoked;
  }
  // @ts-expect-error revoking without a token is only for the proxy-held refresh token
  await proxied.revoke({ tokenTypeHint: 'access_token' });

  // @ts-expect-error channels are push | sms | voice | email
  await auth.startOob({ username, channel: 'fax' });
  // @ts-expect-error verifyOob needs the code
  await auth.verifyOob(voice, {});
  // @ts-expect-error the constructor is private: use DirectAuth.create
  new DirectAuth();
}

async function passkeys(username: string): Promise<void> {
  const auth = await DirectAuth.create(options);
  const controller = new AbortController();
  // With a username, without one (a discoverable passkey), and as autofill.
  finish(await auth.signInWithPasskey({ username, signal: controller.signal }));
  finish(await auth.signInWithPasskey());
  const autofill: PasskeySignInArgs = { mediation: 'conditional', signal: controller.signal };
  finish(await auth.signInWithPasskey(autofill));
  const step = await auth.signInWithPassword({ username, password: 'p' });
  if (step.status === 'mfa_required') {
    finish(await auth.verifyWithPasskey({ mfaToken: step.mfaToken }));
    const swift: PasskeyVerifyArgs = { mfaToken: step.mfaToken, endpoint: 'primary-authenticate', signal: controller.signal };
    finish(await auth.verifyWithPasskey(swift));
    // @ts-expect-error only the two documented endpoints
    await auth.verifyWithPasskey({ mfaToken: step.mfaToken, endpoint: 'token' });
  }
  // @ts-expect-error verifyWithPasskey needs the mfaToken
  await auth.verifyWithPasskey({});
  // @ts-expect-error only conditional mediation (passkey autofill) is an option
  await auth.signInWithPasskey({ mediation: 'silent' });

  // Low level: the challenge, the app's own ceremony, the grant.
  const challenge: PasskeyChallenge = await webauthnChallengeRequest(options, { username });
  const mfaChallenge: PasskeyChallenge = await webauthnChallengeRequest(options, { mfaToken: 'm', endpoint: 'challenge' });
  // @ts-expect-error the endpoint is for the MFA challenge only
  await webauthnChallengeRequest(options, { username, endpoint: 'challenge' });
  const rpId: string | undefined = challenge.publicKey.rpId;
  const ids: string[] = (challenge.publicKey.allowCredentials ?? []).map((c) => c.id);
  void [rpId, ids, mfaChallenge.challengeType];
  const assertion: PasskeyAssertion = { clientDataJSON: 'Y2Q', authenticatorData: 'YWQ', signature: 'c2ln' };
  const primary: SignInResult = await webauthnGrant(options, assertion);
  const second: SignInResult = await webauthnGrant(options, { ...assertion, userHandle: 'dWg', mfaToken: 'm', signal: controller.signal });
  // @ts-expect-error the signature is required
  await webauthnGrant(options, { clientDataJSON: 'Y2Q', authenticatorData: 'YWQ' });
  const mediation: PasskeyMediation = 'conditional';
  void [primary, second, mediation];
}

async function lowLevel(username: string, password: string, otp: string): Promise<void> {
  const signal = AbortSignal.timeout(10_000);
  const a: SignInResult = await passwordGrant(options, { username, password, signal });
  const b: SignInResult = await otpGrant(minimal, { username, otp });
  if (a.status !== 'mfa_required') return;
  const c: SignInResult = await mfaOtpGrant(options, { mfaToken: a.mfaToken, otp });
  const ch: OobChallenge = await challengeRequest(options, { mfaToken: a.mfaToken, channel: 'push' });
  const first: OobChallenge = await primaryAuthenticate(options, { username, channel: 'sms', signal });
  const poll: PollResult = await oobGrant(options, { oobCode: ch.oobCode, mfaToken: a.mfaToken });
  switch (poll.status) {
    case 'pending':
    case 'slow_down':
      break;
    case 'mfa_required':
      void poll.mfaToken;
      break;
    case 'attested':
      void poll.idToken;
      break;
    case 'success':
      useTokens(poll.tokens);
      break;
    default: {
      const never: never = poll;
      void never;
    }
  }
  const exchanged: PollResult = await oobGrant(options, { oobCode: first.oobCode, bindingCode: '123456' });
  const refreshed: Tokens = await refreshTokenGrant(options, { refreshToken: 'r', scopes: ['openid'] });
  void [b, c, exchanged, refreshed];
}

/** Forgot password: prove who the user is with a factor, then set the new password. */
async function recover(username: string, otp: string, code: string, password: string): Promise<void> {
  const auth = await DirectAuth.create({ issuer: 'https://example.okta.com', clientId: '0oa-demo-spa' });
  const intent: Intent = 'recovery';
  const byOtp = await auth.signInWithOtp({ username, otp, intent });
  const byMail = await auth.verifyOob(await auth.startOob({ username, channel: 'email', intent }), { bindingCode: code });
  const pushed = await auth.startOob({ username, channel: 'push', intent });
  const carried: Intent | undefined = pushed.intent;
  void carried;
  const byPush = await auth.waitForApproval(pushed);
  for (const r of [byOtp, byMail, byPush]) {
    if (r.status !== 'success') continue;
    const done: void = await auth.replacePassword({ accessToken: r.tokens.accessToken, password });
    void done;
  }
  await replacePassword(options, { accessToken: 'at', password, signal: new AbortController().signal });
  await otpGrant(options, { username, otp, intent });
  await oobGrant(options, { oobCode: 'o', bindingCode: code, intent });
  await primaryAuthenticate(options, { username, channel: 'sms', intent });
  // @ts-expect-error the only intent is 'recovery'
  await auth.startOob({ username, channel: 'sms', intent: 'signIn' });
  // @ts-expect-error replacePassword needs the new password
  await auth.replacePassword({ accessToken: 'at' });
  const url: string = auth.endpoints.myAccountPassword;
  void url;
}
void recover;

assertType<Equals<Channel, 'push' | 'sms' | 'voice' | 'email'>>();
assertType<Equals<BindingMethod, 'none' | 'transfer' | 'prompt'>>();
assertType<Equals<Intent, 'recovery'>>();
assertType<Equals<PasswordErrorCode, 'password_requirements_not_met' | 'password_reused'>>();
assertType<Equals<ReturnType<typeof ready>, Promise<void>>>();
assertType<Equals<ReturnType<typeof preload>, void>>();
assertType<Equals<ReturnType<typeof DirectAuth.create>, Promise<DirectAuth>>>();

// The session layer: a verified sign-in kept, refreshed on read, events, sign-out everywhere.
async function sessions(username: string, password: string): Promise<void> {
  const idb: SessionStorage = {
    get: async (key: string) => localStorage.getItem(key),
    set: (key: string, value: string) => localStorage.setItem(key, value),
    remove: async (key: string) => { localStorage.removeItem(key); },
  };
  const opts: SessionOptions = { ...options, storage: 'localStorage', refreshMarginSeconds: 120, lockTimeoutMs: 5_000 };
  const session: Session = await Session.create(opts);
  const custom = await Session.create({ ...minimal, storage: idb, refreshTokenCustody: 'proxy' });
  const result: SignInResult = await session.auth.signInWithPassword({ username, password });
  const claims: IdTokenClaims = await session.signIn(result, { signal: AbortSignal.timeout(5_000) });
  const sub: string = claims.sub;
  const held: IdTokenClaims | undefined = session.claims;
  const signedIn: boolean = session.signedIn;
  const token: string = await session.getAccessToken();
  const forced: string = await session.getAccessToken({ forceRefresh: true });
  const stop: () => void = session.on('sessionEnded', (e: SessionEvent) => {
    const t: SessionEventType = e.type;
    const remote: boolean = e.remote;
    void [t, remote];
  });
  stop();
  const out: { revoked: boolean } = await session.signOut();
  custom.close();
  void [sub, held, signedIn, token, forced, out];

  // @ts-expect-error storage is one of three names or a store
  await Session.create({ ...minimal, storage: 'indexedDB' });
  // @ts-expect-error a store needs remove too
  await Session.create({ ...minimal, storage: { get: () => null, set: () => {} } });
  // @ts-expect-error custody is 'proxy' only
  await Session.create({ ...minimal, refreshTokenCustody: 'browser' });
  // @ts-expect-error unknown event type
  session.on('expired', () => {});
  // @ts-expect-error the constructor is private: use Session.create
  new Session();
}

assertType<Equals<SessionEventType, 'signedIn' | 'tokensRefreshed' | 'signedOut' | 'sessionEnded'>>();
assertType<Equals<ReturnType<Session['getAccessToken']>, Promise<string>>>();
assertType<Equals<ReturnType<typeof Session.create>, Promise<Session>>>();

export { describe, fullFlows, lowLevel, passkeys, sessions };
