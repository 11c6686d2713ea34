// The session layer's decisions (src/web/session.js), in Node: what a session stores after a
// sign-in, a refresh or a rotation, how a stored record reads back, when getAccessToken()
// refreshes, what a failed refresh means and which messages are events. The browser suites
// (tests/e2e/session.test.js) run the same decisions through two tabs, Web Locks and the
// emulator. Node's built-ins only: `cargo xtask test` runs these beside the native tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { heardEvent, plan, read, record, refreshFailed } from '../../src/web/session.js';

const NOW = 1_700_000_000_000;
const tokens = (extra = {}) => ({ tokenType: 'Bearer', accessToken: 'at1', expiresIn: 3600, expiresAt: NOW + 3_600_000, ...extra });
const signedIn = (extra) => record(tokens(extra));
const stored = (r) => JSON.stringify(r);

describe('session decisions', () => {
  it('keeps a sign-in only with an ID token', () => {
    const r = signedIn({ idToken: 'id1', refreshToken: 'rt1', scope: 'openid offline_access' });
    assert.deepEqual([r.accessToken, r.idToken, r.refreshToken], ['at1', 'id1', 'rt1']);
    assert.equal(record(tokens({ refreshToken: 'rt1' })), undefined);
    assert.equal(record({ status: 'mfa_required', mfaToken: 'm' }), undefined);
    for (const bad of [undefined, null, 'at1', 7, tokens({ idToken: 7 }), tokens({ idToken: '' })]) assert.equal(record(bad), undefined, String(bad));
    const noRefresh = signedIn({ idToken: 'id1' });
    assert.equal(noRefresh.refreshToken, undefined, 'no offline_access: nothing to refresh with');
    assert.equal(plan(noRefresh, NOW, Infinity), 'use');
  });

  it('refuses tokens without a usable access token, lifetime or expiry', () => {
    for (const extra of [{ accessToken: '' }, { accessToken: 5 }, { expiresIn: -1 }, { expiresIn: '3600' }, { expiresIn: Infinity }, { expiresAt: 'x' }, { expiresAt: NaN }]) {
      assert.equal(record(tokens({ idToken: 'i', ...extra })), undefined, JSON.stringify(extra));
    }
    assert.equal(signedIn({ idToken: 'i', expiresIn: 3600.7 }).expiresIn, 3600, 'a lifetime is whole seconds');
    assert.equal(signedIn({ idToken: 'i', tokenType: undefined }).tokenType, 'Bearer');
  });

  it('replaces a rotated refresh token and keeps what the answer lacks', () => {
    const first = signedIn({ idToken: 'id1', refreshToken: 'rt1', scope: 'openid offline_access' });
    const rotated = record(tokens({ refreshToken: 'rt2', idToken: 'id2' }), first);
    assert.deepEqual([rotated.refreshToken, rotated.idToken], ['rt2', 'id2']);
    assert.equal(rotated.scope, 'openid offline_access', 'scope kept when the answer omits it');
    const unrotated = record(tokens(), rotated);
    assert.deepEqual([unrotated.refreshToken, unrotated.idToken], ['rt2', 'id2'], 'rotation off: the old ones stay');
  });

  it('never stores a refresh token in custody mode', () => {
    const byOption = record(tokens({ idToken: 'id1', refreshToken: 'leaked' }), undefined, true);
    assert.equal(byOption.refreshTokenCustody, 'proxy');
    assert.ok(!stored(byOption).includes('leaked'));
    const byMarker = signedIn({ idToken: 'id1', refreshTokenCustody: 'proxy' });
    assert.equal(byMarker.refreshTokenCustody, 'proxy');
    const refreshed = record(tokens({ refreshToken: 'rt9' }), byMarker);
    assert.equal(refreshed.refreshTokenCustody, 'proxy', 'custody survives a refresh');
    assert.ok(!stored(refreshed).includes('rt9'));
    assert.equal(plan(refreshed, NOW + 3_590_000, 60), 'refresh', 'custody can refresh');
    for (const marker of ['elsewhere', null, 1]) assert.equal(signedIn({ idToken: 'i', refreshTokenCustody: marker }), undefined, `custody ${marker}`);
  });

  it('reads back what it stores, and anything else as no session', () => {
    for (const extra of [{ idToken: 'i', refreshToken: 'r', scope: 'openid' }, { idToken: 'i' }, { idToken: 'i', refreshTokenCustody: 'proxy' }]) {
      const r = signedIn(extra);
      assert.deepEqual(read(stored(r)), r);
      assert.equal(stored(read(stored(r))), stored(r));
      assert.equal(read(stored(r)).expiresAt, NOW + 3_600_000);
    }
    const good = stored(signedIn({ idToken: 'i', refreshToken: 'r' }));
    for (const bad of [
      undefined,
      '',
      'null',
      '{}',
      '[]',
      good.replace('"v":1', '"v":2'),
      good.replace('"v":1', '"v":"1"'),
      good.replace('"accessToken":"at1"', '"accessToken":""'),
      good.replace('"idToken":"i"', '"idToken":7'),
      good.replace('"refreshToken":"r"', '"refreshTokenCustody":"elsewhere"'),
      good.replace('"expiresAt":', '"expiresAt":"x","y":'),
      good.slice(0, -1),
    ]) {
      assert.equal(read(bad), undefined, String(bad));
    }
  });

  it('refreshes within the margin', () => {
    const r = signedIn({ idToken: 'i', refreshToken: 'r' });
    assert.equal(plan(undefined, NOW, 60), 'none');
    assert.equal(plan(r, NOW, 60), 'use');
    assert.equal(plan(r, NOW + 3_539_000, 60), 'use', '61 s left');
    assert.equal(plan(r, NOW + 3_540_000, 60), 'refresh', '60 s left');
    assert.equal(plan(r, NOW + 4_000_000, 60), 'refresh', 'expired');
    assert.equal(plan(r, NOW + 3_000_000, 900), 'refresh', 'a larger margin');
    assert.equal(plan(r, NOW, Infinity), 'refresh', 'forceRefresh');
    const noRefresh = signedIn({ idToken: 'i' });
    assert.equal(plan(noRefresh, NOW, Infinity), 'use', 'forceRefresh without a refresh token');
    assert.equal(plan(noRefresh, NOW + 3_590_000, 60), 'use', 'nothing better: use it while it lasts');
    assert.equal(plan(noRefresh, NOW + 3_600_000, 60), 'expired');
  });

  it('caps the margin at half a short lifetime', () => {
    const short = record({ accessToken: 'a', expiresIn: 5, expiresAt: NOW + 5000, idToken: 'i', refreshToken: 'r' });
    assert.equal(plan(short, NOW, 60), 'use', 'a fresh 5 s token is used, not refreshed on every read');
    assert.equal(plan(short, NOW + 2_400, 60), 'use');
    assert.equal(plan(short, NOW + 2_500, 60), 'refresh');
  });

  it('tells what a failed refresh means', () => {
    const sent = '{"v":1,"sent":1}';
    const error = (kind, code) => ({ kind, code });
    assert.equal(refreshFailed(error('oauth', 'invalid_grant'), sent, sent), 'ended');
    assert.equal(refreshFailed(error('oauth', 'invalid_grant'), sent, '{"v":1,"other":1}'), 'superseded', 'another tab rotated first');
    assert.equal(refreshFailed(error('oauth', 'invalid_grant'), sent, undefined), 'signedOut');
    for (const [kind, code] of [
      ['network', 'network_error'],
      ['timeout', 'timeout'],
      ['protocol', 'invalid_json'],
      ['rate_limited', 'invalid_grant'],
      ['aborted', 'aborted'],
      ['oauth', 'invalid_client'],
      ['oauth', 'server_error'],
    ]) {
      assert.equal(refreshFailed(error(kind, code), sent, sent), 'failed', `${kind} ${code}: the session stays`);
    }
    assert.equal(refreshFailed(new TypeError('x'), sent, sent), 'failed');
  });

  it('hears only the four events from other tabs', () => {
    for (const type of ['signedIn', 'tokensRefreshed', 'signedOut', 'sessionEnded']) assert.equal(heardEvent({ type }), type);
    for (const data of [undefined, null, 'signedIn', {}, { type: '' }, { type: 'signedin' }, { type: '__proto__' }, { type: 'constructor' }, { type: 'signedOut ' }, { type: ['signedIn'] }]) {
      assert.equal(heardEvent(data), undefined, JSON.stringify(data));
    }
  });
});
