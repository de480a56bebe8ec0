//! Cognito identity pools: the unsigned enhanced flow (GetId, then GetCredentialsForIdentity)
//! that turns a user pool ID token into temporary AWS credentials.

use std::collections::HashMap;

use aws_sdk_cognitoidentity as ci;
use aws_sdk_cognitoidentity::error::{ProvideErrorMetadata, SdkError};
use time::OffsetDateTime;

use crate::aws::{error_chain, service_error, AwsCredentials, ServiceError};
use crate::config::{Connection, IdentityPool};
use crate::error::PoolAdvice;
use crate::net::AwsHttp;
use crate::secret::Secret;
use crate::Error;

/// Cognito Identity's own endpoint in a region (when the configuration names none).
pub fn default_url(region: &str) -> String {
    format!("https://cognito-identity.{region}.amazonaws.com")
}

pub struct IdentityClient {
    client: ci::Client,
    pool: IdentityPool,
    endpoint: String,
}

impl IdentityClient {
    /// A client for this pool's own region. Built without loading any AWS profile: these
    /// calls are unsigned, and reading the user's files here could recurse into PoolPass.
    pub fn new(http: &AwsHttp, conn: &Connection, pool: &IdentityPool) -> IdentityClient {
        let mut b = ci::Config::builder()
            .behavior_version(ci::config::BehaviorVersion::latest())
            .http_client(http.client())
            .timeout_config(crate::net::sdk_timeouts())
            .region(ci::config::Region::new(pool.pool_region.clone()));
        let endpoint = match &conn.endpoints.cognito_identity {
            Some(u) => {
                let s = u.as_str().trim_end_matches('/').to_string();
                b = b.endpoint_url(s.clone());
                s
            }
            None => default_url(&pool.pool_region),
        };
        IdentityClient {
            client: ci::Client::from_conf(b.build()),
            pool: pool.clone(),
            endpoint,
        }
    }

    pub async fn get_id(&self, logins: &Logins) -> Result<String, Error> {
        let out = self
            .client
            .get_id()
            .identity_pool_id(&self.pool.id)
            .set_logins(Some(logins.map()))
            .send()
            .await
            .map_err(|e| self.error(e))?;
        out.identity_id
            .ok_or_else(|| self.bad("GetId returned no IdentityId"))
    }

    /// `Err(Ok(service_error))` lets the caller retry with a fresh identity id.
    pub async fn get_credentials(
        &self,
        identity_id: &str,
        logins: &Logins,
        custom_role_arn: Option<&str>,
    ) -> Result<AwsCredentials, Result<ServiceError, Error>> {
        let out = self
            .client
            .get_credentials_for_identity()
            .identity_id(identity_id)
            .set_logins(Some(logins.map()))
            .set_custom_role_arn(custom_role_arn.map(String::from))
            .send()
            .await
            .map_err(|e| match service_error(&e) {
                Some(se) if se.identity_is_stale() => Ok(se),
                _ => Err(self.error(e)),
            })?;
        let c = out
            .credentials
            .ok_or_else(|| Err(self.bad("GetCredentialsForIdentity returned no Credentials")))?;
        let (Some(ak), Some(sk), Some(st), Some(exp)) =
            (c.access_key_id, c.secret_key, c.session_token, c.expiration)
        else {
            return Err(Err(
                self.bad("GetCredentialsForIdentity returned incomplete credentials")
            ));
        };
        let expiration = OffsetDateTime::from_unix_timestamp(exp.secs()).map_err(|_| {
            Err(self.bad("GetCredentialsForIdentity returned an impossible expiry"))
        })?;
        Ok(AwsCredentials {
            access_key_id: ak,
            secret_access_key: Secret::new(sk),
            session_token: Secret::new(st),
            expiration,
        })
    }

    /// The classic flow's first step: a short-lived OpenID token for STS.
    pub async fn get_open_id_token(
        &self,
        identity_id: &str,
        logins: &Logins,
    ) -> Result<Result<Secret<String>, ServiceError>, Error> {
        match self
            .client
            .get_open_id_token()
            .identity_id(identity_id)
            .set_logins(Some(logins.map()))
            .send()
            .await
        {
            Ok(out) => out
                .token
                .map(|t| Ok(Secret::new(t)))
                .ok_or_else(|| self.bad("GetOpenIdToken returned no Token")),
            Err(e) => match service_error(&e) {
                Some(se) => Ok(Err(se)),
                None => Err(self.error(e)),
            },
        }
    }

    pub fn error_from(&self, se: ServiceError) -> Error {
        self.explain(se)
    }

    fn error<E: ProvideErrorMetadata + std::error::Error + 'static>(
        &self,
        e: SdkError<E>,
    ) -> Error {
        if let Some(se) = service_error(&e) {
            return self.explain(se);
        }
        match &e {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => Error::Network {
                what: "the identity pool service",
                url: self.endpoint.clone(),
                reason: error_chain(&e),
            },
            _ => {
                let status = e.raw_response().map(|r| r.status().as_u16());
                let (message, advice) = match status {
                    Some(s) if s >= 500 => (
                        format!("the identity pool service failed (HTTP {s})"),
                        PoolAdvice::ServiceFailed,
                    ),
                    Some(s) => (
                        format!("the identity pool service gave an unreadable answer (HTTP {s})"),
                        PoolAdvice::Unreadable,
                    ),
                    None => (
                        format!("the request failed: {}", error_chain(&e)),
                        PoolAdvice::Other,
                    ),
                };
                Error::IdentityPool {
                    pool: self.pool.id.clone(),
                    code: "Unknown".into(),
                    message,
                    advice,
                }
            }
        }
    }

    fn explain(&self, se: ServiceError) -> Error {
        let advice = if se
            .message
            .contains("Basic (classic) flow is not supported with RoleMappings")
        {
            PoolAdvice::ClassicWithRoleMappings
        } else if se.message.contains("Basic (classic) flow is not enabled")
            || se.message.contains("classic flow is disabled")
        {
            PoolAdvice::ClassicDisabled
        } else {
            match se.code.as_str() {
                "NotAuthorizedException" => PoolAdvice::Refused,
                "InvalidIdentityPoolConfigurationException" => PoolAdvice::NoUsableRole,
                "ResourceNotFoundException" => PoolAdvice::NotFound,
                "TooManyRequestsException" | "LimitExceededException" => PoolAdvice::Throttled,
                "ExternalServiceException" => PoolAdvice::ServiceFailed,
                "InvalidParameterException" => PoolAdvice::BadRequest,
                _ => PoolAdvice::Other,
            }
        };
        Error::IdentityPool {
            pool: self.pool.id.clone(),
            code: se.code,
            message: se.message,
            advice,
        }
    }

    fn bad(&self, reason: &str) -> Error {
        Error::BadResponse {
            what: "the identity pool service",
            url: self.endpoint.clone(),
            reason: reason.into(),
        }
    }
}

/// The `Logins` map: the user pool's provider name → the ID token.
pub struct Logins {
    key: String,
    id_token: Secret<String>,
}

impl Logins {
    pub fn new(conn: &Connection, id_token: Secret<String>) -> Logins {
        Logins {
            key: conn.logins_key(),
            id_token,
        }
    }

    fn map(&self) -> HashMap<String, String> {
        HashMap::from([(self.key.clone(), self.id_token.expose().clone())])
    }
}
