// oauth4webapi doing the same OTP grant as okta-direct-auth's signInWithOtp, with a client object
// built without discovery (as the SDK derives its endpoints from the issuer).
import * as oauth from 'oauth4webapi';

export function start({ issuer, clientId, scopes = ['openid', 'profile'] }) {
  const as = { issuer, token_endpoint: `${issuer}/v1/token` };
  const client = { client_id: clientId };
  const auth = oauth.None();
  const options = issuer.startsWith('http:') ? { [oauth.allowInsecureRequests]: true } : {};
  return {
    async signInWithOtp({ username, otp }) {
      const params = new URLSearchParams({ scope: scopes.join(' '), login_hint: username, otp });
      const response = await oauth.genericTokenEndpointRequest(
        as, client, auth, 'urn:okta:params:oauth:grant-type:otp', params, options);
      return oauth.processGenericTokenEndpointResponse(as, client, response);
    },
  };
}
