//! The loopback listener that catches the hosted UI's redirect (RFC 8252 §7.3), and the
//! browser's return from the hosted UI's `/logout`.
//!
//! It binds before the browser opens (so the reply cannot arrive before anyone listens), on
//! 127.0.0.1 and ::1 at the same port because `localhost` may resolve to either. Connections
//! are read concurrently, each with a short deadline and a cap on how many are in flight, so
//! idle or half-open connections cannot outlast the sign-in or hold up the browser's redirect.
//! Only requests addressed to the loopback host and port are answered (a DNS-rebinding page
//! names another host). Only the callback carrying the sign-in's own state ends the wait: a
//! stray one with a wrong or missing state is answered with an error page and the port stays
//! ours, so a local process cannot make us let go of it and catch the real redirect. Once the
//! matching callback has been decided the listener closes: a second callback finds no one.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::Instant;

use crate::secret::Secret;
use crate::Error;

/// Requests are a request line and a few headers; anything larger is not a browser redirect.
const MAX_REQUEST: usize = 16 * 1024;
const READ_DEADLINE: Duration = Duration::from_secs(5);
/// Connections being read at once; past it the oldest still reading is closed (a browser
/// opens a few).
const MAX_IN_FLIGHT: usize = 32;

/// The connections being read, each in its own task, and their order of arrival.
struct Reading {
    tasks: JoinSet<Option<(TcpStream, Vec<u8>)>>,
    oldest_first: VecDeque<AbortHandle>,
}

impl Reading {
    fn new() -> Reading {
        Reading {
            tasks: JoinSet::new(),
            oldest_first: VecDeque::new(),
        }
    }
}

pub struct Listener {
    v4: TcpListener,
    v6: Option<TcpListener>,
    port: u16,
    path: String,
}

/// What a valid callback carries.
#[derive(Debug)]
pub struct Callback {
    pub code: Secret<String>,
}

impl Listener {
    /// Binds the first port of `ports` that is free on 127.0.0.1 (and on ::1 where the machine
    /// has IPv6). Ports are fixed because Cognito matches redirect URIs exactly.
    pub async fn bind(ports: &[u16], path: &str) -> Result<Listener, Error> {
        for &port in ports {
            let Ok(v4) = TcpListener::bind(("127.0.0.1", port)).await else {
                continue;
            };
            let Ok(port) = v4.local_addr().map(|a| a.port()) else {
                continue;
            };
            let v6 = match TcpListener::bind(("::1", port)).await {
                Ok(l) => Some(l),
                // No IPv6 loopback on this machine: 127.0.0.1 alone serves `localhost`.
                Err(e) if e.kind() == std::io::ErrorKind::AddrNotAvailable => None,
                Err(e) if e.kind() == std::io::ErrorKind::Unsupported => None,
                // Someone else holds [::1]:port; a browser resolving localhost there would
                // reach them, not us. Try the next port.
                Err(_) => continue,
            };
            return Ok(Listener {
                v4,
                v6,
                port,
                path: path.to_string(),
            });
        }
        Err(Error::NoFreePort {
            ports: ports.to_vec(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to send in the authorize and token requests.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}{}", self.port, self.path)
    }

    /// Serves requests until one callback for `expected_state` is decided or `timeout` passes.
    /// The listening sockets close before the decisive request is answered, so any later
    /// callback (a replay, a second tab) finds no one listening.
    ///
    /// On success the browser's connection is handed back as a [`Reply`], so the page it
    /// shows can say how the sign-in really ended.
    pub async fn wait(
        self,
        expected_state: &str,
        timeout: Duration,
    ) -> Result<(Callback, Reply), Error> {
        let Listener { v4, v6, port, path } = self;
        let redirect_uri = format!("http://localhost:{port}{path}");
        let deadline = Instant::now() + timeout;
        let mut reading = Reading::new();
        // What came instead of the callback, to explain a timeout.
        let mut reported: Option<Error> = None;
        let mut stray = false;
        loop {
            let Some((mut stream, head)) =
                next_request(&v4, v6.as_ref(), deadline, &mut reading).await
            else {
                return Err(reported.unwrap_or(if stray {
                    Error::StateMismatch
                } else {
                    Error::SignInTimedOut {
                        seconds: timeout.as_secs(),
                        redirect_uri,
                    }
                }));
            };
            match decide(&head, port, &path, expected_state) {
                Decision::Ignore { status } => {
                    answer(&mut stream, status).await;
                }
                Decision::Stray => {
                    stray = true;
                    answer(&mut stream, STRAY).await;
                }
                Decision::Reported(e) => {
                    // Cognito's error redirects can lack the state: shown, but it proves
                    // nothing about who sent it, so the wait (and the port) goes on.
                    let message = format!(
                        "{e} If you are still signing in in another tab, PoolPass keeps waiting for it."
                    );
                    let _ = tokio::time::timeout(
                        READ_DEADLINE,
                        respond(&mut stream, 400, "Sign-in failed", &message),
                    )
                    .await;
                    reported = Some(e);
                }
                Decision::Accept(code) => {
                    drop((v4, v6));
                    return Ok((
                        Callback {
                            code: Secret::new(code),
                        },
                        Reply { stream },
                    ));
                }
                Decision::Refuse(e) => {
                    drop((v4, v6));
                    Reply { stream }.fail(&e).await;
                    return Err(e);
                }
            }
        }
    }

    /// Waits for the browser to arrive on the path (a `GET`, whatever its query), answers it
    /// with a page saying `title` and `message`, and stops listening. `false` when `timeout`
    /// passes first.
    ///
    /// Anything on this machine could make that request: the answer only tells the user what
    /// probably happened, and nothing is decided on it.
    pub async fn wait_for_visit(self, timeout: Duration, title: &str, message: &str) -> bool {
        let Listener { v4, v6, path, port } = self;
        let deadline = Instant::now() + timeout;
        let mut reading = Reading::new();
        while let Some((mut stream, head)) =
            next_request(&v4, v6.as_ref(), deadline, &mut reading).await
        {
            let misaddressed = host_status(&head, port);
            let status = match parse_request(&head) {
                None => 400,
                Some(_) if misaddressed.is_some() => misaddressed.unwrap_or(400),
                Some(r) if r.path != path => 404,
                Some(r) if r.method != "GET" => 405,
                Some(_) => {
                    drop((v4, v6));
                    let _ = respond(&mut stream, 200, title, message).await;
                    return true;
                }
            };
            answer(&mut stream, status).await;
        }
        false
    }
}

/// The next request's head, from whichever loopback it comes; `None` once `deadline` passes.
/// Each connection is read in its own task with its own deadline (`reading`, kept by the
/// caller across calls), so slow or idle ones do not delay the others; one that sends nothing
/// readable in time is answered 400 and dropped.
async fn next_request(
    v4: &TcpListener,
    v6: Option<&TcpListener>,
    deadline: Instant,
    reading: &mut Reading,
) -> Option<(TcpStream, Vec<u8>)> {
    loop {
        let accept = async {
            match v6 {
                Some(v6) => tokio::select! {
                    r = v4.accept() => r,
                    r = v6.accept() => r,
                },
                None => v4.accept().await,
            }
        };
        tokio::select! {
            accepted = tokio::time::timeout_at(deadline, accept) => match accepted {
                Err(_) => return None,
                // A failed accept (e.g. the peer reset first) concerns that peer only.
                Ok(Err(_)) => continue,
                Ok(Ok((mut stream, _))) => {
                    // At the cap the oldest connection still reading makes room, closed
                    // unanswered: closing the newcomer instead would let a few dozen idle
                    // connections, renewed every few seconds, keep the browser's redirect
                    // out for good (a browser does not retry a closed connection). The browser
                    // sends its request the moment it connects, so it is never the oldest
                    // one still reading for long.
                    reading.oldest_first.retain(|t| !t.is_finished());
                    if reading.tasks.len() >= MAX_IN_FLIGHT {
                        match reading.oldest_first.pop_front() {
                            Some(oldest) => oldest.abort(),
                            // All of them are read and about to be judged (a moment): this
                            // one is closed.
                            None => continue,
                        }
                    }
                    let task = reading.tasks.spawn(async move {
                        match tokio::time::timeout(READ_DEADLINE, read_head(&mut stream)).await {
                            Ok(Some(head)) => Some((stream, head)),
                            _ => {
                                answer(&mut stream, 400).await;
                                None
                            }
                        }
                    });
                    reading.oldest_first.push_back(task);
                }
            },
            Some(read) = reading.tasks.join_next(), if !reading.tasks.is_empty() => {
                if let Ok(Some(request)) = read {
                    return Some(request);
                }
            }
        }
    }
}

/// Answers a request that does not decide anything, without waiting long on a peer that does
/// not read.
async fn answer(stream: &mut TcpStream, status: u16) {
    let _ = tokio::time::timeout(READ_DEADLINE, ignore(stream, status)).await;
}

/// The status of a stray callback (wrong or missing state); its own page.
const STRAY: u16 = 1400;

/// The answer to a request that is not the one waited for.
async fn ignore(stream: &mut TcpStream, status: u16) -> std::io::Result<()> {
    let (title, message) = match status {
        STRAY => (
            "Not this sign-in",
            "This sign-in reply does not belong to the sign-in PoolPass is waiting for, so it was refused. PoolPass keeps waiting: finish signing in in the tab PoolPass opened.",
        ),
        404 => ("Not found", "Nothing here."),
        421 => (
            "Wrong address",
            "PoolPass answers only requests to localhost.",
        ),
        405 => (
            "Not allowed",
            "Only the browser's redirect is answered here.",
        ),
        _ => ("Bad request", "PoolPass could not read this request."),
    };
    respond(
        stream,
        if status == STRAY { 400 } else { status },
        title,
        message,
    )
    .await
}

/// The browser's connection for the callback, held open until the sign-in is decided.
pub struct Reply {
    stream: TcpStream,
}

impl Reply {
    pub async fn succeed(mut self) {
        let _ = respond(
            &mut self.stream,
            200,
            "Signed in",
            "You are signed in. You can close this tab and return to PoolPass.",
        )
        .await;
    }

    pub async fn fail(mut self, e: &Error) {
        let message = format!("{e} Return to PoolPass to try again.");
        let _ = respond(&mut self.stream, 400, "Sign-in failed", &message).await;
    }
}

async fn read_head(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return (!buf.is_empty()).then_some(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.windows(2).any(|w| w == b"\n\n") {
            return Some(buf);
        }
        if buf.len() > MAX_REQUEST {
            return None;
        }
    }
}

/// A parsed request line. Only the parts the listener decides on.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
}

/// Parses the head of an HTTP/1.x request. Pure, so it can be fuzzed and unit-tested.
pub fn parse_request(head: &[u8]) -> Option<Request> {
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = std::str::from_utf8(&head[..end])
        .ok()?
        .trim_end_matches('\r');
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    if !target.starts_with('/') {
        return None;
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut map = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        // A repeated parameter is ambiguous; an attacker could use it to smuggle a second code.
        if map.insert(k.into_owned(), v.into_owned()).is_some() {
            return None;
        }
    }
    Some(Request {
        method: method.to_string(),
        path: path.to_string(),
        query: map,
    })
}

#[derive(Debug)]
enum Decision {
    /// Not the callback (favicon, wrong path, method or host): answered, and we keep waiting.
    Ignore {
        status: u16,
    },
    /// A callback with a wrong or missing state: refused, and we keep waiting.
    Stray,
    /// An error redirect without state: shown, and we keep waiting.
    Reported(Error),
    Accept(String),
    Refuse(Error),
}

fn decide(head: &[u8], port: u16, path: &str, expected_state: &str) -> Decision {
    let Some(req) = parse_request(head) else {
        return Decision::Ignore { status: 400 };
    };
    if let Some(status) = host_status(head, port) {
        return Decision::Ignore { status };
    }
    if req.path != path {
        return Decision::Ignore { status: 404 };
    }
    if req.method != "GET" {
        return Decision::Ignore { status: 405 };
    }
    let refused = |error: &String| Error::AuthorizationRefused {
        error: crate::text::escaped(error, 300),
        description: req
            .query
            .get("error_description")
            .map(|d| crate::text::escaped(d, 300)),
    };
    match (req.query.get("state"), req.query.get("error")) {
        (Some(s), _) if constant_time_eq(s.as_bytes(), expected_state.as_bytes()) => {}
        (None, Some(error)) => return Decision::Reported(refused(error)),
        _ => return Decision::Stray,
    }
    if let Some(error) = req.query.get("error") {
        return Decision::Refuse(refused(error));
    }
    match req.query.get("code") {
        Some(c) if !c.is_empty() => Decision::Accept(c.clone()),
        _ => Decision::Refuse(Error::MissingCode),
    }
}

/// `None` when the request is addressed to this listener (`Host` is `localhost`, `127.0.0.1`
/// or `[::1]` with our port); else the status to answer: 400 without a Host, 421 for another.
fn host_status(head: &[u8], port: u16) -> Option<u16> {
    let text = String::from_utf8_lossy(head);
    // Only the header block: what follows the blank line is a body, not headers.
    let headers = text.lines().skip(1).take_while(|l| !l.is_empty());
    let mut hosts = headers.filter_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim())
    });
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Some(400);
    };
    let ours = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|h| host.eq_ignore_ascii_case(&format!("{h}:{port}")));
    (!ours).then_some(421)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    title: &str,
    message: &str,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        _ => "Bad Request",
    };
    // Self-contained: no scripts, no external resources, nothing cached, no referrer leaking
    // the code to another site.
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>PoolPass: {t}</title>\
<meta name=\"viewport\" content=\"width=device-width\"><style>body{{font:16px system-ui,sans-serif;\
max-width:34em;margin:15vh auto;padding:0 1em;color:#1b1b1b;background:#fff}}\
@media(prefers-color-scheme:dark){{body{{color:#eee;background:#161616}}}}h1{{font-size:1.4em}}</style>\
</head><body><h1>{t}</h1><p>{m}</p></body></html>",
        t = html_escape(title),
        m = html_escape(message)
    );
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\n\
Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_browser_redirect() {
        let r = parse_request(
            b"GET /callback?code=abc&state=x%2Fy HTTP/1.1\r\nHost: localhost\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/callback");
        assert_eq!(r.query["code"], "abc");
        assert_eq!(r.query["state"], "x/y");
    }

    #[test]
    fn refuses_malformed_and_ambiguous_requests() {
        assert!(parse_request(b"").is_none());
        assert!(parse_request(b"GET\r\n\r\n").is_none());
        assert!(parse_request(b"GET http://evil/callback HTTP/1.1\r\n\r\n").is_none());
        assert!(parse_request(b"GET /callback?code=a&code=b&state=s HTTP/1.1\r\n\r\n").is_none());
        assert!(parse_request(b"GET /callback HTTP/2 extra\r\n\r\n").is_none());
        assert!(parse_request(&[0xff, 0xfe, b' ', b'/']).is_none());
    }

    #[test]
    fn decides_on_host_then_state_then_error_then_code() {
        let d = |q: &str| {
            decide(
                format!("GET {q} HTTP/1.1\r\nHost: localhost:8400\r\n\r\n").as_bytes(),
                8400,
                "/callback",
                "s1",
            )
        };
        assert!(matches!(d("/callback?code=c&state=s1"), Decision::Accept(c) if c == "c"));
        assert!(matches!(d("/callback?code=c&state=s2"), Decision::Stray));
        assert!(matches!(d("/callback?code=c"), Decision::Stray));
        assert!(matches!(
            d("/callback?error=invalid_request&error_description=bad"),
            Decision::Reported(Error::AuthorizationRefused { ref error, .. }) if error == "invalid_request"
        ));
        assert!(matches!(d("/callback?error=x&state=s2"), Decision::Stray));
        let with_host = |host: &str| {
            decide(
                format!("GET /callback?code=c&state=s1 HTTP/1.1\r\n{host}\r\n").as_bytes(),
                8400,
                "/callback",
                "s1",
            )
        };
        for ok in [
            "Host: 127.0.0.1:8400\r\n",
            "host: [::1]:8400\r\n",
            "HOST: LocalHost:8400\r\n",
            // After the blank line comes a body, whose lines are not headers.
            "Host: localhost:8400\r\n\r\nHost: evil.example\r\n",
        ] {
            assert!(matches!(with_host(ok), Decision::Accept(_)), "{ok}");
        }
        for (bad, status) in [
            ("Host: evil.example:8400\r\n", 421),
            ("Host: localhost:8401\r\n", 421),
            ("Host: localhost\r\n", 421),
            ("", 400),
            ("Host: localhost:8400\r\nHost: evil.example\r\n", 400),
            ("\r\nHost: localhost:8400\r\n", 400),
        ] {
            assert!(
                matches!(with_host(bad), Decision::Ignore { status: s } if s == status),
                "{bad}"
            );
        }
        assert!(matches!(
            d("/callback?state=s1"),
            Decision::Refuse(Error::MissingCode)
        ));
        assert!(matches!(
            d("/callback?state=s1&error=access_denied&error_description=User+said+no"),
            Decision::Refuse(Error::AuthorizationRefused { ref error, .. }) if error == "access_denied"
        ));
        assert!(matches!(
            d("/favicon.ico"),
            Decision::Ignore { status: 404 }
        ));
        assert!(matches!(
            decide(
                b"POST /callback?code=c&state=s1 HTTP/1.1\r\nHost: localhost:1\r\n\r\n",
                1,
                "/callback",
                "s1"
            ),
            Decision::Ignore { status: 405 }
        ));
    }

    #[tokio::test]
    async fn listens_on_both_loopbacks_and_closes_after_the_callback() {
        let l = Listener::bind(&[0], "/callback").await.unwrap();
        let port = l.port();
        assert_eq!(
            l.redirect_uri(),
            format!("http://localhost:{port}/callback")
        );
        // Whichever address `localhost` resolves to must reach us.
        let addr = if l.v6.is_some() { "::1" } else { "127.0.0.1" };
        let waiting = tokio::spawn(l.wait("st", Duration::from_secs(10)));
        let client = tokio::spawn(get(addr, port));
        let (callback, reply) = waiting.await.unwrap().unwrap();
        assert_eq!(callback.code.expose(), "c");
        reply.succeed().await;
        assert!(client.await.unwrap().unwrap().starts_with("HTTP/1.1 200"));
        assert!(
            get("127.0.0.1", port).await.is_err(),
            "still listening after the callback"
        );
    }

    #[tokio::test]
    async fn a_visit_is_answered_with_the_page_then_no_one_listens() {
        let l = Listener::bind(&[0], "/signed-out").await.unwrap();
        let port = l.port();
        let waiting = tokio::spawn(l.wait_for_visit(
            Duration::from_secs(10),
            "Signed out",
            "You are signed out of <work>.",
        ));
        // Other paths are answered and waiting goes on.
        let other = request("127.0.0.1", port, "GET /favicon.ico")
            .await
            .unwrap();
        assert!(other.starts_with("HTTP/1.1 404"), "{other}");
        let page = request("127.0.0.1", port, "GET /signed-out").await.unwrap();
        assert!(waiting.await.unwrap());
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(
            page.contains("You are signed out of &lt;work&gt;."),
            "{page}"
        );
        assert!(page.contains("Cache-Control: no-store"));
        assert!(request("127.0.0.1", port, "GET /signed-out").await.is_err());
    }

    #[tokio::test]
    async fn only_the_callback_with_its_state_ends_the_wait() {
        let l = Listener::bind(&[0], "/callback").await.unwrap();
        let port = l.port();
        let waiting = tokio::spawn(l.wait("st", Duration::from_secs(20)));
        // A local process tries to make the listener let go of the port.
        let wrong = request("127.0.0.1", port, "GET /callback?code=evil&state=guess")
            .await
            .unwrap();
        assert!(wrong.starts_with("HTTP/1.1 400"), "{wrong}");
        assert!(wrong.contains("keeps waiting"), "{wrong}");
        let none = request("127.0.0.1", port, "GET /callback?code=evil")
            .await
            .unwrap();
        assert!(none.starts_with("HTTP/1.1 400"), "{none}");
        // Cognito's stateless error redirect: shown, and the wait goes on.
        let said = request(
            "127.0.0.1",
            port,
            "GET /callback?error=invalid_request&error_description=%3Cb%3Ebad%3C%2Fb%3E",
        )
        .await
        .unwrap();
        assert!(
            said.contains("invalid_request") && said.contains("&lt;b&gt;bad"),
            "{said}"
        );
        // A page on another site (DNS rebinding) is not answered as the callback.
        let rebound = request_to(
            "127.0.0.1",
            port,
            "GET /callback?code=c&state=st",
            "evil.example:80",
        )
        .await
        .unwrap();
        assert!(rebound.starts_with("HTTP/1.1 421"), "{rebound}");
        assert!(!waiting.is_finished(), "a stray request ended the wait");
        let client = tokio::spawn(get("127.0.0.1", port));
        let (callback, reply) = waiting.await.unwrap().unwrap();
        assert_eq!(callback.code.expose(), "c");
        reply.succeed().await;
        assert!(client.await.unwrap().unwrap().starts_with("HTTP/1.1 200"));
    }

    #[tokio::test]
    async fn a_stateless_error_explains_a_timeout() {
        let l = Listener::bind(&[0], "/callback").await.unwrap();
        let port = l.port();
        let waiting = tokio::spawn(l.wait("st", Duration::from_millis(1500)));
        request("127.0.0.1", port, "GET /callback?error=unauthorized_client")
            .await
            .unwrap();
        let e = waiting.await.unwrap().err().expect("timed out");
        assert!(
            matches!(e, Error::AuthorizationRefused { ref error, .. } if error == "unauthorized_client"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn idle_connections_do_not_hold_up_the_callback() {
        let l = Listener::bind(&[0], "/callback").await.unwrap();
        let port = l.port();
        let waiting = tokio::spawn(l.wait("st", Duration::from_secs(30)));
        // More idle connections than the cap, each holding its read deadline (5 s): served
        // one at a time they would delay the callback by minutes.
        let mut idle = Vec::new();
        for _ in 0..100 {
            idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
        }
        // The browser connects once and does not retry: it is answered although the idle
        // ones (still open, well inside their deadline) fill the cap.
        let page = tokio::time::timeout(Duration::from_secs(3), async {
            let browser = tokio::spawn(get("127.0.0.1", port));
            let (callback, reply) = waiting
                .await
                .unwrap()
                .expect("decided within the sign-in's 30 s");
            assert_eq!(callback.code.expose(), "c");
            reply.succeed().await;
            browser.await.unwrap().unwrap()
        })
        .await
        .expect("the callback waited for the idle connections' deadline");
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        drop(idle);
    }

    #[tokio::test]
    async fn at_the_cap_the_oldest_idle_connection_makes_room() {
        let l = Listener::bind(&[0], "/callback").await.unwrap();
        let port = l.port();
        let waiting = tokio::spawn(l.wait("st", Duration::from_secs(30)));
        let mut idle = Vec::new();
        for _ in 0..(MAX_IN_FLIGHT + 40) {
            idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
        }
        // The oldest ones were closed to make room, unanswered, long before their deadline.
        let mut closed = 0;
        for s in idle.iter_mut().take(40) {
            let mut buf = [0u8; 64];
            if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await
            {
                closed += 1;
            }
        }
        assert_eq!(closed, 40, "the oldest idle connections were kept");
        waiting.abort();
    }

    #[tokio::test]
    async fn a_visit_that_never_comes_is_false_not_an_error() {
        let l = Listener::bind(&[0], "/signed-out").await.unwrap();
        assert!(!l.wait_for_visit(Duration::from_millis(50), "t", "m").await);
    }

    async fn get(addr: &str, port: u16) -> std::io::Result<String> {
        request(addr, port, "GET /callback?code=c&state=st").await
    }

    async fn request(addr: &str, port: u16, line: &str) -> std::io::Result<String> {
        request_to(addr, port, line, &format!("localhost:{port}")).await
    }

    async fn request_to(addr: &str, port: u16, line: &str, host: &str) -> std::io::Result<String> {
        let mut s = TcpStream::connect((addr, port)).await?;
        s.write_all(format!("{line} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
            .await?;
        let mut out = String::new();
        s.read_to_string(&mut out).await?;
        Ok(out)
    }

    #[test]
    fn pages_escape_what_servers_sent() {
        assert_eq!(
            html_escape("<script>\"&'"),
            "&lt;script&gt;&quot;&amp;&#39;"
        );
    }
}
