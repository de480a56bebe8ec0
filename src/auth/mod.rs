//! Signing in to the Cognito user pool: the hosted UI round trip through the user's browser
//! and back to a loopback listener, and verification of the ID token it yields.

pub mod hosted_ui;
pub mod id_token;
pub mod loopback;
