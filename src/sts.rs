//! AWS STS: AssumeRoleWithWebIdentity for the classic flow (unsigned, with the identity pool's
//! OpenID token), and GetCallerIdentity to confirm which account and role new credentials are
//! (signed with those credentials).

use aws_sdk_sts as sts;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use time::OffsetDateTime;

use crate::aws::AwsCredentials;
use crate::config::{Connection, IdentityPool};
use crate::error::PoolAdvice;
use crate::net::AwsHttp;
use crate::secret::Secret;
use crate::Error;

/// Who AWS says the credentials are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
}

impl CallerIdentity {
    /// The role name in an assumed-role ARN.
    pub fn role_name(&self) -> Option<&str> {
        let rest = self.arn.split_once(":assumed-role/")?.1;
        Some(rest.split('/').next().unwrap_or(rest))
    }
}

/// STS's regional endpoint (when the configuration names none).
pub fn default_url(region: &str) -> String {
    format!("https://sts.{region}.amazonaws.com")
}

pub struct StsClient {
    http: AwsHttp,
    pool: IdentityPool,
    endpoint: Option<String>,
}

impl StsClient {
    /// STS in the identity pool's own region (regional endpoints, as AWS recommends).
    pub fn new(http: &AwsHttp, conn: &Connection, pool: &IdentityPool) -> StsClient {
        let endpoint = conn
            .endpoints
            .sts
            .as_ref()
            .map(|u| u.as_str().trim_end_matches('/').to_string());
        StsClient {
            http: http.clone(),
            pool: pool.clone(),
            endpoint,
        }
    }

    fn config(&self) -> sts::config::Builder {
        let mut b = sts::Config::builder()
            .behavior_version(sts::config::BehaviorVersion::latest())
            .http_client(self.http.client())
            .timeout_config(crate::net::sdk_timeouts())
            .region(sts::config::Region::new(self.pool.pool_region.clone()));
        if let Some(e) = &self.endpoint {
            b = b.endpoint_url(e);
        }
        b
    }

    fn url(&self) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| default_url(&self.pool.pool_region))
    }

    pub async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        open_id_token: &Secret<String>,
        duration_seconds: u32,
        session_name: &str,
    ) -> Result<AwsCredentials, Error> {
        let client = sts::Client::from_conf(self.config().build());
        let out = client
            .assume_role_with_web_identity()
            .role_arn(role_arn)
            .web_identity_token(open_id_token.expose())
            .duration_seconds(duration_seconds as i32)
            .role_session_name(session_name)
            .send()
            .await
            .map_err(|e| self.error("AssumeRoleWithWebIdentity", role_arn, e))?;
        let c = out
            .credentials
            .ok_or_else(|| self.bad("AssumeRoleWithWebIdentity returned no credentials"))?;
        Ok(AwsCredentials {
            access_key_id: c.access_key_id,
            secret_access_key: Secret::new(c.secret_access_key),
            session_token: Secret::new(c.session_token),
            expiration: OffsetDateTime::from_unix_timestamp(c.expiration.secs())
                .map_err(|_| self.bad("AssumeRoleWithWebIdentity returned an impossible expiry"))?,
        })
    }

    pub async fn get_caller_identity(
        &self,
        creds: &AwsCredentials,
    ) -> Result<CallerIdentity, Error> {
        let provider = sts::config::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose().clone(),
            Some(creds.session_token.expose().clone()),
            None,
            "poolpass",
        );
        let client = sts::Client::from_conf(self.config().credentials_provider(provider).build());
        let out = client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| self.error("GetCallerIdentity", "", e))?;
        match (out.account, out.arn) {
            (Some(account), Some(arn)) => Ok(CallerIdentity { account, arn }),
            _ => Err(self.bad("GetCallerIdentity returned no account or ARN")),
        }
    }

    fn error<E: ProvideErrorMetadata + std::error::Error + 'static>(
        &self,
        op: &str,
        role: &str,
        e: SdkError<E>,
    ) -> Error {
        if let Some(crate::aws::ServiceError { code, message: msg }) = crate::aws::service_error(&e)
        {
            let advice = match code.as_str() {
                "AccessDenied" => PoolAdvice::RoleNotTrusted { role: role.into() },
                "ValidationError" if msg.contains("DurationSeconds") => PoolAdvice::SessionTooLong,
                "ExpiredTokenException" | "InvalidIdentityToken" => PoolAdvice::SignInAgain,
                _ => PoolAdvice::Other,
            };
            return Error::IdentityPool {
                pool: self.pool.id.clone(),
                message: format!("STS {op}: {msg}"),
                code,
                advice,
            };
        }
        Error::Network {
            what: "AWS STS",
            url: self.url(),
            reason: crate::aws::error_chain(&e),
        }
    }

    fn bad(&self, reason: &str) -> Error {
        Error::BadResponse {
            what: "AWS STS",
            url: self.url(),
            reason: reason.into(),
        }
    }
}
