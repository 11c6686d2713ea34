// A minimal program that constructs @auth0/auth0-spa-js's client.
import { Auth0Client } from '@auth0/auth0-spa-js';

export const start = ({ issuer, clientId }) =>
  new Auth0Client({ domain: new URL(issuer).host, clientId });
