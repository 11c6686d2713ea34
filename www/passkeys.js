// Passkeys on the demo page: "Sign in with a passkey" (the SDK's signInWithPasskey, with the
// username when one is typed, else a discoverable passkey), a passkey as a second factor
// (verifyWithPasskey), and the simulated phone's "Add a passkey on this browser", which runs
// the emulator's registration ceremony (`/__emulator/users/{login}/passkeys/options`, then
// `navigator.credentials.create()`, then `POST …/passkeys`). Okta enrols passkeys through
// MyAccount, outside Direct Auth; the emulator's endpoint stands in for it.
//
// WebAuthn refuses IP addresses as RP IDs: on http://127.0.0.1 the browser rejects every
// ceremony (SecurityError). Open the page on http://localhost:PORT (the emulator's RP ID).

const $ = (id) => document.getElementById(id);

/** Where the passkey buttons explain that this page must be opened on localhost. */
export const onIpAddress = /^\d+\.\d+\.\d+\.\d+$|^\[/.test(location.hostname);

/** The emulator's registration ceremony for `login`, on this browser's platform authenticator. */
async function addPasskey(emulator, login) {
  const api = (path, body) =>
    fetch(`${emulator}/__emulator/users/${encodeURIComponent(login)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => (r.ok ? r.json() : Promise.reject(new Error((await r.json().catch(() => null))?.errorSummary ?? `HTTP ${r.status}`))));
  const { publicKey } = await api('/passkeys/options', {});
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(publicKey) });
  return api('/passkeys', credential.toJSON());
}

/** Wires the phone's "Add a passkey on this browser" for whoever owns the phone. */
export function installAddPasskey(phone, emulator) {
  const button = $('passkey-add');
  const status = $('passkey-status');
  button.addEventListener('click', async () => {
    const login = phone.login;
    if (!login) return;
    button.disabled = true;
    status.textContent = onIpAddress ? 'Passkeys need http://localhost, not an IP address: reopen this page on localhost.' : 'Follow the browser’s prompt…';
    try {
      const added = await addPasskey(emulator, login);
      status.textContent = `Passkey added for ${login} (credential ${added.credentialId.slice(0, 8)}…).`;
      phone.user()?.factors.add('passkey');
      phone.show(login);
    } catch (e) {
      status.textContent = `No passkey added: ${e.name === 'NotAllowedError' ? 'cancelled or not allowed' : e.message}.`;
    } finally {
      button.disabled = false;
    }
  });
}
