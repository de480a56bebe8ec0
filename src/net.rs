//! How long any one network call may take. `credential-process` answers an AWS tool that is
//! waiting, and a refresh holds the connection's turn while it talks to the network, so an
//! endpoint that accepts the connection and never answers must fail the call, not hang it.

use std::time::Duration;

use std::fmt;
use std::sync::OnceLock;

use aws_smithy_runtime_api::client::http::SharedHttpClient;
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

/// How the AWS SDK's clients (Cognito Identity, STS) reach AWS. The system's is one HTTPS
/// client for the whole process, so a refresh's pools and roles share its connections instead
/// of each client dialling (and shaking hands) anew; tests put an in-process answerer here.
#[derive(Clone)]
pub struct AwsHttp(SharedHttpClient);

impl AwsHttp {
    pub fn system() -> AwsHttp {
        static SYSTEM: OnceLock<SharedHttpClient> = OnceLock::new();
        AwsHttp(
            SYSTEM
                .get_or_init(|| {
                    use aws_smithy_http_client::tls;
                    aws_smithy_http_client::Builder::new()
                        .tls_provider(tls::Provider::Rustls(
                            tls::rustls_provider::CryptoMode::AwsLc,
                        ))
                        .build_https()
                })
                .clone(),
        )
    }

    pub fn new(client: SharedHttpClient) -> AwsHttp {
        AwsHttp(client)
    }

    pub fn client(&self) -> SharedHttpClient {
        self.0.clone()
    }
}

impl Default for AwsHttp {
    fn default() -> AwsHttp {
        AwsHttp::system()
    }
}

impl fmt::Debug for AwsHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AwsHttp")
    }
}
