mod assertion_tests;
mod authenticator;
