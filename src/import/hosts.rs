//! Where a configuration's traffic goes: every address a connection would contact, classed as
//! AWS, this computer or someone else, with a warning where the user should check it.

use std::net::IpAddr;

use url::{Host, Url};

use crate::config::{self, Connection};

/// One address PoolPass would contact for a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub connection: String,
    pub service: Service,
    pub url: String,
    pub host: String,
    /// Who owns the host's domain. `Aws` says nothing about which AWS customer runs it:
    /// read `warning` too.
    pub class: HostClass,
    /// Why the user should check this address with their administrator, if they should.
    pub concern: Option<Concern>,
    /// That concern in English words (the command line's).
    pub warning: Option<String>,
}

/// What is wrong with an address a configuration names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    /// Plain http to a host that is not this computer.
    PlainHttp,
    /// A host outside AWS's domains.
    NotAws,
    /// Under an AWS domain, but not the service's own address (anyone can serve pages there).
    UnexpectedAws,
}

/// What an endpoint is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The sign-in page (Cognito hosted UI / managed login) and its token endpoint.
    HostedUi,
    /// The ID token issuer, whose signing keys PoolPass fetches.
    Issuer,
    /// Cognito Identity (identity pools): where credentials come from.
    CognitoIdentity,
    /// The Cognito user pools API.
    CognitoIdp,
    /// AWS STS: classic-flow sessions and the check of who the credentials are.
    Sts,
}

impl Service {
    pub fn label(self) -> &'static str {
        match self {
            Service::HostedUi => "sign-in page (hosted UI)",
            Service::Issuer => "token issuer (signing keys)",
            Service::CognitoIdentity => "Cognito Identity (credentials)",
            Service::CognitoIdp => "Cognito user pools API",
            Service::Sts => "AWS STS",
        }
    }

    /// The AWS address this service normally has, for warnings.
    fn expected(self) -> &'static str {
        match self {
            Service::HostedUi => "a Cognito sign-in domain (….auth.REGION.amazoncognito.com)",
            Service::Issuer | Service::CognitoIdp => "cognito-idp.REGION.amazonaws.com",
            Service::CognitoIdentity => "cognito-identity.REGION.amazonaws.com",
            Service::Sts => "sts.REGION.amazonaws.com",
        }
    }
}

/// Who owns a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostClass {
    /// Under a domain AWS owns (see [`AWS_DOMAINS`]).
    Aws,
    /// This computer: the local demo and test peers.
    Loopback,
    /// Anyone else, including a company's own domain for its Cognito sign-in page.
    Other,
}

/// Domains AWS owns, matched on a label boundary (`evilamazonaws.com` is not one of them).
/// Hosted UI prefix domains live under `auth.REGION.amazoncognito.com` (and `auth-fips`);
/// service endpoints under `amazonaws.com` (`amazonaws.com.cn` in China), dual-stack ones
/// under `api.aws` (`api.amazonwebservices.com.cn` in China). Sources: the Cognito developer
/// guide (user pool domains) and the AWS General Reference (service and dual-stack endpoints).
pub const AWS_DOMAINS: [&str; 5] = [
    "amazoncognito.com",
    "amazonaws.com",
    "amazonaws.com.cn",
    "api.aws",
    "api.amazonwebservices.com.cn",
];

/// The addresses a sign-in and a refresh of this connection contact, with the defaults the
/// clients use when the configuration names none.
pub(super) fn endpoints_of(c: &Connection) -> Vec<Endpoint> {
    let trimmed = |u: &Url| u.as_str().trim_end_matches('/').to_string();
    let mut out = vec![
        (Service::HostedUi, c.hosted_ui_base()),
        (Service::Issuer, c.issuer()),
    ];
    if let Some(u) = &c.endpoints.cognito_idp {
        out.push((Service::CognitoIdp, trimmed(u)));
    }
    for p in &c.identity_pools {
        out.push((
            Service::CognitoIdentity,
            c.endpoints
                .cognito_identity
                .as_ref()
                .map(trimmed)
                .unwrap_or_else(|| crate::identity::default_url(&p.pool_region)),
        ));
        out.push((
            Service::Sts,
            c.endpoints
                .sts
                .as_ref()
                .map(trimmed)
                .unwrap_or_else(|| crate::sts::default_url(&p.pool_region)),
        ));
    }
    out.into_iter()
        .map(|(service, url)| endpoint(&c.name, service, &url))
        .collect()
}

pub(super) fn endpoint(connection: &str, service: Service, url: &str) -> Endpoint {
    let parsed = Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str())
        .unwrap_or_default()
        .to_string();
    let class = parsed
        .as_ref()
        .and_then(|u| u.host())
        .map_or(HostClass::Other, |h| classify(&h));
    let plain_http = parsed.as_ref().is_some_and(|u| u.scheme() != "https");
    let concern = if plain_http && class != HostClass::Loopback {
        // Config::parse refuses this already; kept so a looser validator can never make it
        // silent. Over plain http anyone on the way can read the sign-in or swap the page.
        Some(Concern::PlainHttp)
    } else {
        match class {
            HostClass::Loopback => None,
            HostClass::Other => Some(Concern::NotAws),
            HostClass::Aws if !is_expected_service(service, &host) => Some(Concern::UnexpectedAws),
            HostClass::Aws => None,
        }
    };
    let warning = concern.map(|c| match (c, service) {
        (Concern::PlainHttp, _) => format!("The {} would be reached at {host} over plain http, unencrypted: anyone on the network could read or change it. Do not import this; ask your administrator for an https address.", service.label()),
        (Concern::NotAws, Service::HostedUi) => format!("Sign-in would go to {host}, which is not an AWS domain. Companies can give the Cognito sign-in page their own domain: check with your administrator that {host} is theirs before entering a password there."),
        (Concern::NotAws, Service::Issuer) => format!("Sign-in tokens would be checked with keys from {host}, which is not an AWS domain. Check with your administrator."),
        (Concern::NotAws, _) => format!("Requests to {} would go to {host}, which is not an AWS domain. Check with your administrator.", service.label()),
        (Concern::UnexpectedAws, _) => format!(
            "The {} would be {host}: an AWS domain, but not {}. Any AWS customer can serve pages under AWS domains (S3, API Gateway), so check this address with your administrator.",
            service.label(),
            service.expected()
        ),
    });
    Endpoint {
        connection: connection.to_string(),
        service,
        url: url.to_string(),
        host,
        class,
        concern,
        warning,
    }
}

/// Who owns `host` (a host name or an IP literal, `[::1]` bracketed or not).
pub fn classify_host(host: &str) -> HostClass {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return if ip.is_loopback() {
            HostClass::Loopback
        } else {
            HostClass::Other
        };
    }
    // Host::parse lowercases, applies IDNA and reads every IPv4 spelling (`0x7f.1`), as the
    // HTTP client will.
    match Host::parse(host) {
        Ok(h) => classify(&h),
        Err(_) => HostClass::Other,
    }
}

pub(super) fn classify<S: AsRef<str>>(host: &Host<S>) -> HostClass {
    match host {
        Host::Ipv4(ip) if ip.is_loopback() => HostClass::Loopback,
        Host::Ipv6(ip) if ip.is_loopback() => HostClass::Loopback,
        Host::Ipv4(_) | Host::Ipv6(_) => HostClass::Other,
        Host::Domain(d) => {
            let d = normalize(d.as_ref());
            if d == "localhost" {
                HostClass::Loopback
            } else if aws_domain(&d).is_some() {
                HostClass::Aws
            } else {
                HostClass::Other
            }
        }
    }
}

/// Lowercase, without the one trailing dot DNS allows (`x.amazonaws.com.` is the same host).
pub(super) fn normalize(host: &str) -> String {
    let h = host.to_ascii_lowercase();
    h.strip_suffix('.').map(str::to_string).unwrap_or(h)
}

/// The labels in front of the AWS domain `host` is under, and that domain.
pub(super) fn aws_domain(host: &str) -> Option<(Vec<&str>, &'static str)> {
    let labels_ok = host
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !labels_ok {
        return None;
    }
    // Longest first, so `x.api.amazonwebservices.com.cn` is not read as under `amazonaws.com.cn`.
    let mut domains = AWS_DOMAINS;
    domains.sort_by_key(|d| std::cmp::Reverse(d.len()));
    domains.into_iter().find_map(|d| {
        if host == d {
            Some((Vec::new(), d))
        } else {
            host.strip_suffix(d)
                .and_then(|rest| rest.strip_suffix('.'))
                .map(|rest| (rest.split('.').collect(), d))
        }
    })
}

/// Whether an AWS host has the shape of the service it is used for. Any AWS customer can
/// serve content under AWS domains (S3 buckets, API Gateway, EC2 host names), so the domain
/// alone does not make an address Cognito's.
pub(super) fn is_expected_service(service: Service, host: &str) -> bool {
    let host = normalize(host);
    let Some((labels, domain)) = aws_domain(&host) else {
        return false;
    };
    let region = |r: &str| config::looks_like_region(r);
    let named = |labels: &[&str], names: &[&str]| match labels {
        [s, r] => names.contains(s) && region(r),
        _ => false,
    };
    match service {
        Service::HostedUi => {
            domain == "amazoncognito.com"
                && matches!(labels.as_slice(), [_, auth, r] if (*auth == "auth" || *auth == "auth-fips") && region(r))
        }
        _ if domain == "amazoncognito.com" => false,
        Service::Issuer | Service::CognitoIdp => {
            named(&labels, &["cognito-idp", "cognito-idp-fips"])
        }
        Service::CognitoIdentity => named(&labels, &["cognito-identity", "cognito-identity-fips"]),
        Service::Sts => labels.as_slice() == ["sts"] || named(&labels, &["sts", "sts-fips"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_domains_match_on_a_label_boundary() {
        use HostClass::*;
        for (host, class) in [
            ("acme.auth.us-west-2.amazoncognito.com", Aws),
            ("ACME.AUTH.US-WEST-2.AMAZONCOGNITO.COM", Aws),
            ("acme.auth.us-west-2.amazoncognito.com.", Aws),
            ("cognito-identity.cn-north-1.amazonaws.com.cn", Aws),
            ("sts.us-east-1.api.aws", Aws),
            ("sts.cn-north-1.api.amazonwebservices.com.cn", Aws),
            ("amazonaws.com", Aws),
            ("evilamazonaws.com", Other),
            ("evilamazoncognito.com", Other),
            ("amazonaws.com.evil.net", Other),
            ("acme.auth.us-west-2.amazoncognito.com.evil.net", Other),
            ("amazonaws.com.cn.evil.net", Other),
            ("xapi.aws", Other),
            ("api.aws.evil", Other),
            ("amazonaws.co", Other),
            ("amazonaws.com..", Other),
            ("a..amazonaws.com", Other),
            ("ámazonaws.com", Other),
            ("auth.example.com", Other),
            ("127.0.0.1", Loopback),
            ("127.1.2.3", Loopback),
            ("0x7f.1", Loopback),
            ("::1", Loopback),
            ("[::1]", Loopback),
            ("localhost", Loopback),
            ("LOCALHOST.", Loopback),
            ("localhost.evil.net", Other),
            ("10.0.0.1", Other),
            ("52.94.0.1", Other),
            ("[::ffff:127.0.0.1]", Other),
            ("[2600:1f18::1]", Other),
            ("", Other),
        ] {
            assert_eq!(classify_host(host), class, "{host:?}");
        }
    }

    #[test]
    fn aws_hosts_must_also_look_like_the_service() {
        for (service, host, ok) in [
            (
                Service::HostedUi,
                "acme.auth.us-west-2.amazoncognito.com",
                true,
            ),
            (
                Service::HostedUi,
                "acme.auth-fips.us-east-1.amazoncognito.com",
                true,
            ),
            (Service::HostedUi, "evil.s3.amazonaws.com", false),
            (
                Service::HostedUi,
                "x.execute-api.us-east-1.amazonaws.com",
                false,
            ),
            (Service::HostedUi, "auth.us-west-2.amazoncognito.com", false),
            (Service::Issuer, "cognito-idp.us-west-2.amazonaws.com", true),
            (Service::Issuer, "cognito-idp.evil.amazonaws.com", false),
            (
                Service::CognitoIdentity,
                "cognito-identity.eu-west-1.amazonaws.com",
                true,
            ),
            (
                Service::CognitoIdentity,
                "cognito-identity.cn-north-1.amazonaws.com.cn",
                true,
            ),
            (
                Service::CognitoIdentity,
                "cognito-idp.eu-west-1.amazonaws.com",
                false,
            ),
            (Service::Sts, "sts.amazonaws.com", true),
            (Service::Sts, "sts-fips.us-east-1.api.aws", true),
            (Service::Sts, "sts.us-east-1.amazoncognito.com", false),
        ] {
            assert_eq!(is_expected_service(service, host), ok, "{service:?} {host}");
        }
    }
}
