//! Facts about AWS itself that every other module shares: temporary credentials, the profile
//! names every SDK reads as written, role ARNs, and service errors. A leaf: it depends on no
//! other PoolPass module but `secret`, so configuration, identity pools, STS and the AWS files
//! can all use it without depending on each other.

use aws_sdk_cognitoidentity::error::{ProvideErrorMetadata, SdkError};
use time::OffsetDateTime;

use crate::secret::Secret;

/// Temporary AWS credentials. The secret parts never print.
#[derive(Debug, Clone)]
pub struct AwsCredentials {
    pub access_key_id: String,
    pub secret_access_key: Secret<String>,
    pub session_token: Secret<String>,
    pub expiration: OffsetDateTime,
}

/// A refusal from the identity pool, kept apart from other errors because some codes mean
/// "the cached identity id is stale, get a new one".
#[derive(Debug)]
pub struct ServiceError {
    pub code: String,
    pub message: String,
}

impl ServiceError {
    /// AWS's answers for an identity id that was deleted or belongs to someone else.
    pub fn identity_is_stale(&self) -> bool {
        self.code == "ResourceNotFoundException"
            || (self.code == "NotAuthorizedException"
                && self.message.contains("Access to Identity"))
    }
}

/// The code and message of an AWS service error (any SDK's), cleaned for showing to users.
pub(crate) fn service_error<E: ProvideErrorMetadata>(e: &SdkError<E>) -> Option<ServiceError> {
    let SdkError::ServiceError(_) = e else {
        return None;
    };
    // Both are the network's words, shown to the user: escaped and short, as all such text.
    let code = crate::text::escaped(e.code()?, 80);
    let message = crate::text::escaped(e.message().unwrap_or("no message"), 300);
    Some(ServiceError { code, message })
}

/// `arn:aws:iam::123456789012:role/path/Name` → (`123456789012`, `Name`).
pub fn split_role_arn(arn: &str) -> Option<(String, String)> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let name = resource.strip_prefix("role/")?.rsplit('/').next()?;
    Some((account.to_string(), name.to_string()))
}

/// What [`safe_profile_name`] allows, for messages.
pub const PROFILE_NAME_CHARS: &str =
    "letters, digits and _ . % @ : + - (no spaces or other signs), up to 128 characters";

/// Names every AWS SDK reads back as written and that no shell gives a meaning to: the
/// characters the SDKs document for profile names and nothing else. A profile name is written
/// into `credential_process` lines that the Go and Rust SDKs run with `sh -c`, so anything
/// wider (`$( )`, backticks, `;`, quotes, spaces) would run a configuration author's command.
pub fn safe_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.%@:+-".contains(c))
}

/// "error sending request: connection refused" rather than only the outermost layer.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_split_into_account_and_name() {
        assert_eq!(
            split_role_arn("arn:aws:iam::123456789012:role/team/Admins"),
            Some(("123456789012".into(), "Admins".into()))
        );
        assert_eq!(
            split_role_arn("arn:aws-cn:iam::1:role/R"),
            Some(("1".into(), "R".into()))
        );
        assert_eq!(split_role_arn("arn:aws:iam::1:user/R"), None);
        assert_eq!(split_role_arn("nonsense"), None);
    }
}
