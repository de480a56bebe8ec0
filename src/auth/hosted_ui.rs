//! Cognito's hosted UI (managed login) as an OAuth 2 server: the authorize URL and the token
//! endpoint, for the authorization-code grant with PKCE and for the refresh-token grant; the
//! revocation endpoint and the logout URL, for signing out.

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet, ExtraTokenFields,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::Deserialize;

use crate::aws::error_chain;
use crate::config::{Connection, Provider};
use crate::secret::Secret;
use crate::Error;

/// Cognito's token response carries `id_token`, which oauth2's basic response drops.
#[derive(Debug, Clone, Deserialize)]
pub struct CognitoFields {
    id_token: Option<Secret<String>>,
}

impl ExtraTokenFields for CognitoFields {}

// oauth2 requires `Serialize` on token fields; PoolPass never serializes a token response, so
// this writes nothing rather than give a token a way out.
impl serde::Serialize for CognitoFields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        s.serialize_struct("CognitoFields", 0)?.end()
    }
}

type CognitoTokenResponse = StandardTokenResponse<CognitoFields, BasicTokenType>;

type Client = oauth2::Client<
    BasicErrorResponse,
    CognitoTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What the token endpoint gave back, secrets wrapped.
#[derive(Debug)]
pub struct Tokens {
    pub id_token: Secret<String>,
    /// `None` on a refresh without rotation: the old refresh token stays valid.
    pub refresh_token: Option<Secret<String>>,
}

/// One sign-in attempt's single-use values. Dropped once the callback is decided.
pub struct Attempt {
    pub url: url::Url,
    pub state: Secret<String>,
    pub nonce: Secret<String>,
    verifier: PkceCodeVerifier,
}

pub struct HostedUi {
    client: Client,
    http: reqwest::Client,
    token_url: String,
    revoke_url: String,
    client_id: String,
    scopes: Vec<String>,
}

impl HostedUi {
    pub fn new(
        conn: &Connection,
        redirect_uri: Option<String>,
        http: reqwest::Client,
    ) -> Result<HostedUi, Error> {
        let base = conn.hosted_ui_base();
        let token_url = format!("{base}/oauth2/token");
        let bad = |reason: String| Error::BadResponse {
            what: "the configuration",
            url: base.clone(),
            reason,
        };
        let mut client = oauth2::Client::new(ClientId::new(conn.client_id.clone()))
            .set_auth_uri(
                AuthUrl::new(format!("{base}/oauth2/authorize")).map_err(|e| bad(e.to_string()))?,
            )
            .set_token_uri(TokenUrl::new(token_url.clone()).map_err(|e| bad(e.to_string()))?);
        if let Some(r) = redirect_uri {
            client = client.set_redirect_uri(RedirectUrl::new(r).map_err(|e| bad(e.to_string()))?);
        }
        Ok(HostedUi {
            client,
            http,
            token_url,
            revoke_url: format!("{base}/oauth2/revoke"),
            client_id: conn.client_id.clone(),
            scopes: conn.scopes.clone(),
        })
    }

    /// A fresh authorize URL: PKCE S256, random `state` and `nonce`, and the provider so that
    /// Cognito goes straight to it instead of showing its own chooser.
    /// With no provider, Cognito shows its own page listing them.
    pub fn start(&self, provider: Option<&Provider>) -> Attempt {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let nonce = CsrfToken::new_random();
        let mut req = self
            .client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.scopes.iter().map(|s| Scope::new(s.clone())))
            .set_pkce_challenge(challenge)
            .add_extra_param("nonce", nonce.secret());
        if let Some(p) = provider {
            req = req.add_extra_param("identity_provider", p.as_param());
        }
        let (url, state) = req.url();
        Attempt {
            url,
            state: Secret::new(state.secret().clone()),
            nonce: Secret::new(nonce.secret().clone()),
            verifier,
        }
    }

    pub async fn exchange_code(
        &self,
        attempt: Attempt,
        code: Secret<String>,
    ) -> Result<Tokens, Error> {
        let resp = self
            .client
            .exchange_code(AuthorizationCode::new(code.expose().clone()))
            .set_pkce_verifier(attempt.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| self.token_error("authorization code", e))?;
        self.tokens(resp, "authorization code")
    }

    pub async fn refresh(&self, refresh_token: &Secret<String>) -> Result<Tokens, Error> {
        let resp = self
            .client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| self.token_error("refresh token", e))?;
        self.tokens(resp, "refresh token")
    }

    /// Revokes a refresh token at Cognito's `/oauth2/revoke` (form `token` + `client_id`: a
    /// public client has no secret). Cognito answers 200 for a token it does not know too, so
    /// revoking twice is not an error.
    ///
    /// A plain POST rather than oauth2's revocation request: that one adds `token_type_hint`,
    /// which Cognito does not document, and Cognito's error replies need reading our way.
    pub async fn revoke(&self, refresh_token: &Secret<String>) -> Result<(), Error> {
        let fail = |reason: String| Error::RevokeFailed {
            url: self.revoke_url.clone(),
            reason,
        };
        let resp = self
            .http
            .post(&self.revoke_url)
            .form(&[
                ("token", refresh_token.expose().as_str()),
                ("client_id", self.client_id.as_str()),
            ])
            .send()
            .await
            .map_err(|e| fail(format!("it could not be reached ({})", error_chain(&e))))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        // Only the two OAuth fields are read back: whatever else a server sends stays unprinted.
        #[derive(Deserialize)]
        struct OAuthError {
            error: String,
            error_description: Option<String>,
        }
        let body = resp.bytes().await.unwrap_or_default();
        Err(fail(match serde_json::from_slice::<OAuthError>(&body) {
            Ok(e) => {
                let error = crate::text::escaped(&e.error, 300);
                format!(
                    "it answered HTTP {} {error}{}{}",
                    status.as_u16(),
                    e.error_description
                        .map(|d| format!(" ({})", crate::text::escaped(&d, 300)))
                        .unwrap_or_default(),
                    revoke_advice(&error)
                )
            }
            Err(_) => format!("it answered HTTP {status}"),
        }))
    }

    fn tokens(&self, resp: CognitoTokenResponse, grant: &'static str) -> Result<Tokens, Error> {
        let id_token = resp.extra_fields().id_token.clone().ok_or_else(|| Error::BadResponse {
            what: "the hosted UI's token endpoint",
            url: self.token_url.clone(),
            reason: format!("no id_token in the reply to the {grant} (is \"openid\" among the app client's allowed scopes?)"),
        })?;
        Ok(Tokens {
            id_token,
            refresh_token: resp
                .refresh_token()
                .map(|r| Secret::new(r.secret().clone())),
        })
    }

    fn token_error<RE: std::error::Error + 'static>(
        &self,
        grant: &'static str,
        e: RequestTokenError<RE, BasicErrorResponse>,
    ) -> Error {
        match e {
            RequestTokenError::ServerResponse(r) => Error::TokenRefused {
                url: self.token_url.clone(),
                grant,
                error: r.error().as_ref().to_string(),
                description: r
                    .error_description()
                    .map(|d| d.chars().filter(|c| !c.is_control()).take(300).collect()),
            },
            RequestTokenError::Request(re) => Error::Network {
                what: "the hosted UI's token endpoint",
                url: self.token_url.clone(),
                reason: error_chain(&re),
            },
            // The body may hold tokens: say what failed, never echo it.
            RequestTokenError::Parse(pe, _body) => Error::BadResponse {
                what: "the hosted UI's token endpoint",
                url: self.token_url.clone(),
                reason: format!("unexpected token response ({})", pe.path()),
            },
            RequestTokenError::Other(o) => Error::BadResponse {
                what: "the hosted UI's token endpoint",
                url: self.token_url.clone(),
                reason: o.chars().take(200).collect(),
            },
        }
    }
}

/// What a revocation error from Cognito means for the user.
fn revoke_advice(error: &str) -> &'static str {
    match error {
        // What Cognito answers when the app client has token revocation turned off.
        "invalid_request" => {
            "; token revocation may be turned off on the app client: tell your administrator"
        }
        "invalid_client" | "unauthorized_client" => {
            "; the app client id does not match: tell your administrator"
        }
        _ => "",
    }
}

/// The URL that ends the hosted UI's browser session (Cognito's `/logout`), sending the
/// browser on to `logout_uri`, which must be one of the app client's sign-out URLs.
pub fn logout_url(conn: &Connection, logout_uri: &str) -> Result<url::Url, Error> {
    let base = conn.hosted_ui_base();
    let mut url = url::Url::parse(&format!("{base}/logout")).map_err(|e| Error::BadResponse {
        what: "the configuration",
        url: base.clone(),
        reason: e.to_string(),
    })?;
    url.query_pairs_mut()
        .append_pair("client_id", &conn.client_id)
        .append_pair("logout_uri", logout_uri);
    Ok(url)
}

/// The HTTP client for the hosted UI and JWKS. Redirects are off: a token endpoint that
/// redirects is misconfigured or hostile, and following it would resend the code.
pub fn http_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(crate::net::CONNECT_TIMEOUT)
        .timeout(crate::net::CALL_TIMEOUT)
        .user_agent(concat!("poolpass/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Network {
            what: "the HTTPS client",
            url: String::new(),
            reason: error_chain(&e),
        })
}
