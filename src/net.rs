//! How long any one network call may take. `credential-process` answers an AWS tool that is
//! waiting, and a refresh holds the connection's turn while it talks to the network, so an
//! endpoint that accepts the connection and never answers must fail the call, not hang it.

use std::time::Duration;

use aws_smithy_types::timeout::TimeoutConfig;

/// Connecting (TCP and TLS) to any endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

/// One call, start to finish, retries included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(8);

/// The same bounds for the AWS SDK's clients (Cognito Identity, STS).
pub fn sdk_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(CALL_TIMEOUT)
        .operation_attempt_timeout(CALL_TIMEOUT)
        .operation_timeout(CALL_TIMEOUT)
        .build()
}
