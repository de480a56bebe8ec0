//! ID token validation: signature against the issuer's JWKS, then `iss`, `aud`, `exp`,
//! `token_use` and `nonce`. Credentials are only fetched, and files only written, for a token
//! that passed all of these.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, errors::ErrorKind, Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Deserializer};
use tokio::sync::Mutex;

use crate::secret::Secret;
use crate::Error;

/// Clock skew allowed on `exp`, in seconds. Small: ID tokens live 5 minutes to a day.
const LEEWAY_SECONDS: u64 = 60;

/// The claims PoolPass uses. Holds no secret (the token itself stays in its `Secret`).
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    #[serde(rename = "cognito:username")]
    pub username: Option<String>,
    pub email: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    pub groups: Vec<String>,
    /// A JSON array in real tokens; old documentation shows a comma-separated string.
    #[serde(rename = "cognito:roles", default, deserialize_with = "list_or_csv")]
    pub roles: Vec<String>,
    #[serde(rename = "cognito:preferred_role")]
    pub preferred_role: Option<String>,
    #[serde(default)]
    pub identities: Vec<Identity>,
    pub token_use: Option<String>,
    pub nonce: Option<String>,
    pub exp: i64,
    pub auth_time: Option<i64>,
}

/// One linked social or enterprise identity (`identities` claim).
#[derive(Debug, Clone, Deserialize)]
pub struct Identity {
    #[serde(rename = "providerName")]
    pub provider_name: Option<String>,
    #[serde(rename = "providerType")]
    pub provider_type: Option<String>,
}

impl IdClaims {
    /// A name to show for who is signed in.
    pub fn display_name(&self) -> &str {
        self.email
            .as_deref()
            .or(self.username.as_deref())
            .unwrap_or(&self.sub)
    }
}

fn list_or_csv<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrCsv {
        List(Vec<String>),
        Csv(String),
    }
    Ok(match ListOrCsv::deserialize(d)? {
        ListOrCsv::List(v) => v,
        ListOrCsv::Csv(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

/// What the token must match besides its signature.
pub enum NonceCheck<'a> {
    /// A sign-in: the token must carry exactly the nonce we sent.
    Expect(&'a str),
    /// A refresh: Cognito omits the nonce from refreshed ID tokens.
    NotSent,
}

pub struct Verifier {
    issuer: String,
    client_id: String,
    jwks_url: String,
    http: reqwest::Client,
    jwks: Mutex<Option<JwkSet>>,
}

impl Verifier {
    pub fn new(issuer: String, client_id: String, http: reqwest::Client) -> Verifier {
        let jwks_url = format!("{issuer}/.well-known/jwks.json");
        Verifier {
            issuer,
            client_id,
            jwks_url,
            http,
            jwks: Mutex::new(None),
        }
    }

    pub async fn verify(
        &self,
        token: &Secret<String>,
        nonce: NonceCheck<'_>,
    ) -> Result<IdClaims, Error> {
        let header = decode_header(token.expose())
            .map_err(|e| self.reject(format!("it is not a JWT ({e})")))?;
        if header.alg != Algorithm::RS256 {
            return Err(self.reject(format!(
                "it is signed with {:?}, but Cognito signs with RS256",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| self.reject("its header names no signing key (kid)".into()))?;
        let key = self.key(&kid).await?;

        let mut v = Validation::new(Algorithm::RS256);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.client_id]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.leeway = LEEWAY_SECONDS;
        let data = decode::<IdClaims>(token.expose(), &key, &v).map_err(|e| {
            self.reject(match e.kind() {
                ErrorKind::InvalidSignature => {
                    "its signature does not match the issuer's keys".into()
                }
                ErrorKind::ExpiredSignature => {
                    "it has expired (check that this computer's clock is right)".into()
                }
                ErrorKind::InvalidAudience => format!(
                    "it was issued to another app client (aud is not {})",
                    self.client_id
                ),
                ErrorKind::InvalidIssuer => format!(
                    "it was issued by another issuer (iss is not {})",
                    self.issuer
                ),
                ErrorKind::ImmatureSignature => {
                    "it is not valid yet (check this computer's clock)".into()
                }
                ErrorKind::MissingRequiredClaim(c) => format!("it lacks the {c} claim"),
                other => format!("it cannot be read ({other:?})"),
            })
        })?;
        let claims = data.claims;
        if claims.token_use.as_deref() != Some("id") {
            return Err(self.reject(format!(
                "it is not an ID token (token_use is {:?}, expected \"id\")",
                claims.token_use.as_deref().unwrap_or("missing")
            )));
        }
        if let NonceCheck::Expect(expected) = nonce {
            match claims.nonce.as_deref() {
                Some(n) if n == expected => {}
                Some(_) => return Err(self.reject("its nonce does not match the one this sign-in sent (a replayed or substituted token)".into())),
                None => return Err(self.reject("it carries no nonce, but this sign-in sent one".into())),
            }
        }
        Ok(claims)
    }

    /// The key for `kid`, refetching the JWKS once when the kid is unknown (keys rotate).
    async fn key(&self, kid: &str) -> Result<DecodingKey, Error> {
        let mut cache = self.jwks.lock().await;
        for attempt in 0..2 {
            if cache.is_none() || attempt == 1 {
                *cache = Some(self.fetch_jwks().await?);
            }
            if let Some(jwk) = cache.as_ref().and_then(|s| s.find(kid)) {
                return DecodingKey::from_jwk(jwk).map_err(|e| {
                    self.reject(format!("the issuer's key {kid} cannot be used ({e})"))
                });
            }
        }
        Err(self.reject(format!(
            "it was signed with a key ({kid}) that the issuer does not publish"
        )))
    }

    async fn fetch_jwks(&self) -> Result<JwkSet, Error> {
        let net = |e: reqwest::Error| Error::Network {
            what: "the user pool's key set (JWKS)",
            url: self.jwks_url.clone(),
            reason: crate::aws::error_chain(&e),
        };
        let resp = self.http.get(&self.jwks_url).send().await.map_err(net)?;
        if !resp.status().is_success() {
            return Err(Error::BadResponse {
                what: "the user pool's key set (JWKS)",
                url: self.jwks_url.clone(),
                reason: format!("HTTP {}", resp.status()),
            });
        }
        resp.json::<JwkSet>().await.map_err(|e| Error::BadResponse {
            what: "the user pool's key set (JWKS)",
            url: self.jwks_url.clone(),
            reason: e.to_string(),
        })
    }

    fn reject(&self, reason: String) -> Error {
        Error::IdTokenRejected {
            issuer: self.issuer.clone(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_may_be_an_array_or_a_comma_separated_string() {
        let base = r#"{"sub":"s","exp":1,"token_use":"id","cognito:roles":ROLES}"#;
        let c: IdClaims =
            serde_json::from_str(&base.replace("ROLES", r#"["arn:a","arn:b"]"#)).unwrap();
        assert_eq!(c.roles, ["arn:a", "arn:b"]);
        let c: IdClaims =
            serde_json::from_str(&base.replace("ROLES", r#""arn:a, arn:b""#)).unwrap();
        assert_eq!(c.roles, ["arn:a", "arn:b"]);
    }
}
