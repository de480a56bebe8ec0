//! Cognito identity pools: the unsigned enhanced flow (GetId, then GetCredentialsForIdentity)
//! that turns a user pool ID token into temporary AWS credentials.

use std::collections::HashMap;

use aws_sdk_cognitoidentity as ci;
use aws_sdk_cognitoidentity::error::{ProvideErrorMetadata, SdkError};
use time::OffsetDateTime;

use crate::aws::{error_chain, service_error, AwsCredentials, ServiceError};
use crate::config::{Connection, IdentityPool};
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
                Error::IdentityPool {
                    pool: self.pool.id.clone(),
                    code: "Unknown".into(),
                    message: match status {
                        Some(s) if s >= 500 => format!("the identity pool service failed (HTTP {s}). This is usually passing: try again in a minute. If it persists, check the pool id and region in the configuration."),
                        Some(s) => format!("the identity pool service gave an unreadable answer (HTTP {s})."),
                        None => format!("the request failed ({}).", error_chain(&e)),
                    },
                }
            }
        }
    }

    fn explain(&self, se: ServiceError) -> Error {
        if se
            .message
            .contains("Basic (classic) flow is not supported with RoleMappings")
        {
            return Error::IdentityPool {
                pool: self.pool.id.clone(),
                message: format!("{} ({}). This pool maps roles by rules or token, which the classic flow cannot use: remove flow = \"classic\" from this pool in the configuration (the enhanced flow gives one-hour credentials), or ask your administrator to remove the pool's role mappings.", se.message, se.code),
                code: se.code,
            };
        }
        if se.message.contains("Basic (classic) flow is not enabled")
            || se.message.contains("classic flow is disabled")
        {
            return Error::IdentityPool {
                pool: self.pool.id.clone(),
                message: format!("{} ({}). The classic flow is switched off on this pool: ask your administrator to allow it (AllowClassicFlow), or remove flow = \"classic\" from the configuration.", se.message, se.code),
                code: se.code,
            };
        }
        let advice = match se.code.as_str() {
            "NotAuthorizedException" => "The identity pool refused the sign-in. Refresh or sign in again; if it persists, the identity pool does not trust this user pool and app client (tell your administrator).",
            "InvalidIdentityPoolConfigurationException" => "The identity pool has no usable role for signed-in users, or cannot assume it (trust policy). This is for your administrator to fix: give them the pool id.",
            "ResourceNotFoundException" => "The identity pool (or your identity in it) does not exist. Check the pool id and region in the configuration.",
            "TooManyRequestsException" | "LimitExceededException" => "AWS is limiting requests right now. Wait a minute and try again.",
            "ExternalServiceException" => "A service the identity pool depends on failed. Try again in a moment.",
            "InvalidParameterException" => "The request did not fit the pool's settings (tell your administrator).",
            _ => "Try again; if it persists, tell your administrator.",
        };
        Error::IdentityPool {
            pool: self.pool.id.clone(),
            message: format!("{} ({}). {advice}", se.message, se.code),
            code: se.code,
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
