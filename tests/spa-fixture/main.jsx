// Installed from the packed tarball, bundled by Vite with no plugin and no config (Vite's own
// JSX transform). The session is used through the example's hook (useSession.js).
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { DirectAuthError } from 'okta-direct-auth';
import { useSession } from './useSession.js';

const params = new URLSearchParams(location.search);
const OPTIONS = {
  issuer: params.get('issuer') ?? import.meta.env.VITE_ISSUER,
  clientId: params.get('clientId') ?? import.meta.env.VITE_CLIENT_ID ?? '0oa-demo-spa',
  // okta-direct-auth-proxy, which the app's own server forwards /okta to (Okta refuses these
  // grants from a browser).
  proxy: params.get('proxy') ?? import.meta.env.VITE_PROXY,
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  storage: 'sessionStorage',
};

function Result({ state, text, error, sub }) {
  const data = error
    ? { 'data-instanceof': String(error instanceof DirectAuthError), 'data-kind': error.kind ?? '', 'data-code': error.code ?? '' }
    : {};
  return (
    <p id="result" role="status" aria-live="polite" data-state={state} data-sub={sub} {...data}>
      {error ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : text}
    </p>
  );
}

function SignIn({ session }) {
  const [username, setUsername] = useState('');
  const [otp, setOtp] = useState('');
  const [status, setStatus] = useState({ state: 'idle', text: '' });
  const submit = async (ev) => {
    ev.preventDefault();
    setStatus({ state: 'busy', text: 'Signing in…' });
    try {
      const result = await session.auth.signInWithOtp({ username, otp });
      if (result.status !== 'success') return setStatus({ state: 'mfa', text: 'A second factor is required.' });
      await session.signIn(result); // kept only once the ID token verifies; the hook re-renders
    } catch (error) {
      setStatus({ state: 'error', error });
    }
  };
  return (
    <form id="form" onSubmit={submit}>
      <label>Username <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
      <label>Code <input id="otp" name="otp" inputMode="numeric" autoComplete="one-time-code" required value={otp} onChange={(e) => setOtp(e.target.value)} /></label>
      <button type="submit">Sign in</button>
      <Result {...status} />
    </form>
  );
}

function Account({ session, claims }) {
  const [token, setToken] = useState('');
  return (
    <section>
      <Result state="signed-in" sub={claims.sub} text={`Signed in as ${claims.email ?? claims.sub}`} />
      <button id="token" onClick={async () => setToken(await session.getAccessToken())}>Get an access token</button>
      <output id="access-token" data-length={token.length}>{token ? `${token.slice(0, 12)}…` : ''}</output>
      <button id="sign-out" onClick={() => session.signOut()}>Sign out</button>
    </section>
  );
}

function App() {
  const { session, claims, event, error } = useSession(OPTIONS);
  if (error) return <Result state="error" error={error} />;
  if (!session) return <p>Loading…</p>;
  return (
    <>
      <h1>{claims ? 'Account' : 'Sign in'}</h1>
      {claims ? <Account session={session} claims={claims} /> : <SignIn session={session} />}
      {event && <p id="event" data-type={event.type}>{event.remote ? `${event.type} (another tab)` : event.type}</p>}
    </>
  );
}

createRoot(document.getElementById('root')).render(<App />);
document.documentElement.dataset.ready = 'true';
