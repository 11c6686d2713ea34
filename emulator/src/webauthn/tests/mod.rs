mod authenticator;
