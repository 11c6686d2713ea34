// A minimal program that constructs @okta/okta-auth-js's client (its default entry).
import { OktaAuth } from '@okta/okta-auth-js';

export const start = ({ issuer, clientId }) =>
  new OktaAuth({ issuer, clientId, redirectUri: `${location.origin}/callback` });
