// A React hook over okta-direct-auth's Session: this example's own code, not a published
// binding. Copy it into your app. It creates one Session for the options' issuer and client,
// re-renders on every session event (this tab's and the other tabs'), and closes the session
// when the component unmounts (React Strict Mode mounts twice: the first one is closed).
import { useEffect, useState } from 'react';
import { Session } from 'okta-direct-auth';

const EVENTS = ['signedIn', 'tokensRefreshed', 'signedOut', 'sessionEnded'];

/**
 * `{ session, claims, event, error }`: `session` is null until created; `claims` are the
 * verified ID token's (undefined when signed out); `event` the last session event.
 */
export function useSession(options) {
  const [state, setState] = useState({ session: null, claims: undefined, event: null, error: null });
  useEffect(() => {
    let session;
    let stops = [];
    let gone = false;
    Session.create(options).then(
      (created) => {
        if (gone) return created.close();
        session = created;
        setState({ session, claims: session.claims, event: null, error: null });
        stops = EVENTS.map((type) => session.on(type, (event) => setState({ session, claims: session.claims, event, error: null })));
      },
      (error) => !gone && setState((s) => ({ ...s, error })),
    );
    return () => {
      gone = true;
      stops.forEach((stop) => stop());
      session?.close();
    };
  }, [options.issuer, options.clientId]);
  return state;
}
