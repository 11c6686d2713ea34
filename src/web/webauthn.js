// Ships verbatim to every page: the comments are in src/web/webauthn.rs.
const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
const bin = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const host = (u) => { try { return new URL(u).hostname; } catch {} };
const json = (t) => { try { return JSON.parse(t); } catch {} };

export async function getAssertion(challenge, issuer, conditional, signal) {
  try {
    const o = { ...challenge.publicKey }, x = o.extensions, appid = host(x?.appid);
    o.rpId ??= appid || host(issuer);
    if (appid && appid != o.rpId && !appid.endsWith('.' + o.rpId)) delete (o.extensions = { ...x }).appid;
    o.allowCredentials = o.allowCredentials?.map((c) => ({ ...c, transports: typeof c.transports == 'string' ? json(c.transports) : c.transports }));
    const c = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON?.(o) ??
        { ...o, challenge: bin(o.challenge), allowCredentials: o.allowCredentials?.map((a) => ({ ...a, id: bin(a.id) })) },
      mediation: conditional ? 'conditional' : undefined,
      signal,
    });
    const r = c.toJSON?.().response ?? c.response, f = (v) => (v?.byteLength ? b64(v) : v || undefined);
    return JSON.stringify({ clientDataJSON: f(r.clientDataJSON), authenticatorData: f(r.authenticatorData), signature: f(r.signature), userHandle: f(r.userHandle) });
  } catch (e) {
    return '' + e?.name;
  }
}
