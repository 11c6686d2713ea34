mod assertion_tests;
mod authenticator;
mod challenge_tests;
mod chromium_tests;
mod hostile_tests;
mod key_tests;
mod registration_tests;
