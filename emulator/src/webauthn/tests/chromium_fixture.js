// How tests/chromium-156-virtual-authenticator.json was made: Debian's Chromium with the DevTools
// Protocol's virtual authenticator (ctap2, internal, resident keys, UV), on http://localhost:PORT.
// Run from a folder with playwright-core 1.65.1 installed: node chromium_fixture.js > chromium-….json
const http = require('node:http');
const { chromium } = require('playwright-core');

(async () => {
  const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>wa</title>'); });
  await new Promise((r) => server.listen(0, 'localhost', r));
  const port = server.address().port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: {
    protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } });
  await page.goto(`http://localhost:${port}/`);
  const out = await page.evaluate(async () => {
    const b64u = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const fill = (n, v) => new Uint8Array(n).fill(v);
    const result = { origin: location.origin };
    for (const alg of [-7, -257]) {
      const regChallenge = fill(32, alg === -7 ? 1 : 3);
      const cred = await navigator.credentials.create({ publicKey: {
        challenge: regChallenge, rp: { id: 'localhost', name: 'Okta emulator' },
        user: { id: new TextEncoder().encode('00u1ada' + alg), name: 'ada', displayName: 'Ada' },
        pubKeyCredParams: [{ type: 'public-key', alg }], attestation: 'none',
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } } });
      const getChallenge = fill(32, alg === -7 ? 2 : 4);
      const assertion = await navigator.credentials.get({ publicKey: { challenge: getChallenge, rpId: 'localhost', userVerification: 'required', timeout: 60000 } });
      result[alg === -7 ? 'es256' : 'rs256'] = {
        registration_challenge: b64u(regChallenge),
        credential_id: b64u(cred.rawId),
        client_data_json_create: b64u(cred.response.clientDataJSON),
        attestation_object: b64u(cred.response.attestationObject),
        transports: cred.response.getTransports ? cred.response.getTransports() : [],
        assertion_challenge: b64u(getChallenge),
        client_data_json: b64u(assertion.response.clientDataJSON),
        authenticator_data: b64u(assertion.response.authenticatorData),
        signature: b64u(assertion.response.signature),
        user_handle: assertion.response.userHandle ? b64u(assertion.response.userHandle) : null,
      };
    }
    return result;
  });
  out.chromium = browser.version();
  console.log(JSON.stringify(out, null, 2));
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  await browser.close();
  server.close();
})().catch((e) => { console.error(e); process.exit(1); });
