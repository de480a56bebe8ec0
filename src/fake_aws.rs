//! Unit tests' AWS: an in-process HTTP client for the SDK's Cognito Identity and STS clients
//! that records each call and answers it from a table the test writes, so the flows' decisions
//! (which calls, in which order, what a stale identity or a refusal does) are tested without
//! moto. The answers' shapes are AWS's wire formats (awsJson1.1 for Cognito Identity, the query
//! protocol's XML for STS) as the SDKs' service models define them; the peer tests stay the
//! acceptance layer.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use crate::net::AwsHttp;

/// One request as AWS would see it.
#[derive(Debug, Clone)]
pub struct Call {
    /// `GetId`, `GetCredentialsForIdentity`, `GetCallerIdentity`, …
    pub operation: String,
    pub body: String,
}

type Answer = dyn Fn(&Call) -> (u16, String) + Send + Sync;

#[derive(Clone)]
pub struct FakeAws {
    calls: Arc<Mutex<Vec<Call>>>,
    answer: Arc<Answer>,
}

impl std::fmt::Debug for FakeAws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeAws")
    }
}

impl FakeAws {
    pub fn new(answer: impl Fn(&Call) -> (u16, String) + Send + Sync + 'static) -> FakeAws {
        FakeAws {
            calls: Arc::default(),
            answer: Arc::new(answer),
        }
    }

    pub fn http(&self) -> AwsHttp {
        AwsHttp::new(SharedHttpClient::new(self.clone()))
    }

    /// The operations called so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.calls().into_iter().map(|c| c.operation).collect()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

fn operation(request: &HttpRequest, body: &str) -> String {
    if let Some(target) = request.headers().get("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_string();
    }
    body.split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .unwrap_or("?")
        .to_string()
}

impl HttpConnector for FakeAws {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned();
        let json = request.headers().get("x-amz-target").is_some();
        let call = Call {
            operation: operation(&request, &body),
            body,
        };
        self.calls.lock().unwrap().push(call.clone());
        let (status, text) = (self.answer)(&call);
        let mut response = HttpResponse::new(
            StatusCode::try_from(status).expect("a status code"),
            SdkBody::from(text),
        );
        let kind = if json {
            "application/x-amz-json-1.1"
        } else {
            "text/xml"
        };
        response.headers_mut().insert("content-type", kind);
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for FakeAws {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// Cognito Identity's error body (awsJson1.1: the type in `__type`).
pub fn json_error(code: &str, message: &str) -> (u16, String) {
    (
        400,
        serde_json::json!({ "__type": code, "message": message }).to_string(),
    )
}

pub fn get_id(identity_id: &str) -> (u16, String) {
    (
        200,
        serde_json::json!({ "IdentityId": identity_id }).to_string(),
    )
}

/// GetCredentialsForIdentity's answer; `Expiration` is epoch seconds.
pub fn credentials(identity_id: &str, access_key: &str, expiration: i64) -> (u16, String) {
    (
        200,
        serde_json::json!({
            "IdentityId": identity_id,
            "Credentials": {
                "AccessKeyId": access_key,
                "SecretKey": format!("secret-of-{access_key}"),
                "SessionToken": format!("session-of-{access_key}"),
                "Expiration": expiration,
            }
        })
        .to_string(),
    )
}

pub fn caller_identity(arn: &str) -> (u16, String) {
    let account = arn.split(':').nth(4).unwrap_or_default();
    (
        200,
        format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><Arn>{arn}</Arn><UserId>AROAEXAMPLE:session</UserId>\
             <Account>{account}</Account></GetCallerIdentityResult>\
             <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId>\
             </ResponseMetadata></GetCallerIdentityResponse>"
        ),
    )
}

/// AssumeRoleWithWebIdentity's answer (the query protocol's XML; `Expiration` is ISO 8601).
pub fn assumed_role(arn: &str, access_key: &str, expiration: i64) -> (u16, String) {
    let expiration = time::OffsetDateTime::from_unix_timestamp(expiration)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    (
        200,
        format!(
            "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>{access_key}</AccessKeyId>\
             <SecretAccessKey>secret-of-{access_key}</SecretAccessKey>\
             <SessionToken>session-of-{access_key}</SessionToken>\
             <Expiration>{expiration}</Expiration></Credentials>\
             <SubjectFromWebIdentityToken>ap-northeast-1:classic</SubjectFromWebIdentityToken>\
             <AssumedRoleUser><Arn>{arn}</Arn><AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId>\
             </AssumedRoleUser><Audience>ap-northeast-1:pool</Audience>\
             <Provider>cognito-identity.amazonaws.com</Provider>\
             </AssumeRoleWithWebIdentityResult>\
             <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId>\
             </ResponseMetadata></AssumeRoleWithWebIdentityResponse>"
        ),
    )
}
