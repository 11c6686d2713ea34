// Installed from the packed tarball, bundled by Vite with no plugin and no config.
import { DirectAuth, DirectAuthError, decodeJwtClaims } from 'okta-direct-auth';

const params = new URLSearchParams(location.search);
const issuer = params.get('issuer') ?? import.meta.env.VITE_ISSUER;
const clientId = params.get('clientId') ?? import.meta.env.VITE_CLIENT_ID ?? '0oa-demo-spa';
const result = document.getElementById('result');

const show = (state, text) => {
  result.dataset.state = state;
  result.textContent = text;
};

document.getElementById('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  show('busy', 'Signing in…');
  try {
    const auth = await DirectAuth.create({ issuer, clientId, scopes: ['openid', 'profile', 'email'] });
    const r = await auth.signInWithOtp({
      username: document.getElementById('username').value,
      otp: document.getElementById('otp').value,
    });
    if (r.status !== 'success') return show('mfa', 'A second factor is required.');
    const verified = await auth.verifyIdToken(r.tokens.idToken);
    const claims = decodeJwtClaims(r.tokens.idToken);
    result.dataset.sub = verified.sub;
    show('signed-in', `Signed in as ${claims.email ?? claims.sub}`);
  } catch (e) {
    result.dataset.instanceof = String(e instanceof DirectAuthError);
    result.dataset.kind = e.kind ?? '';
    result.dataset.code = e.code ?? '';
    show('error', `${e.message}${e.hint ? ` (${e.hint})` : ''}`);
  }
});

document.documentElement.dataset.ready = 'true';
