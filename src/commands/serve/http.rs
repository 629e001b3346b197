//! Connections -> requests -> responses. The accept loop caps open connections, closes idle
//! ones and waits out a shortage of file descriptors; each request passes the Host (and, for
//! the reload stream, Origin) guard, then gets a file of the current build. Request bodies are
//! never read: only GET and HEAD are answered.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::State;
use super::answer::{answer, text, with_type};
use super::body::Body;
use super::files::Wanted;
use super::reload::{EVENTS_PATH, WORKER_PATH, WORKER_SCRIPT};

/// Open connections at most: far more than the browsers of one person open, few enough that
/// a flood costs bounded memory and file descriptors. Past it, connections wait in the
/// kernel's queue.
const MAX_CONNECTIONS: usize = 256;

/// A connection that has not sent a whole request head this long after it opened or after
/// its last answer (an idle keep-alive connection) is closed.
const IDLE: Duration = Duration::from_secs(10);

/// Bytes buffered per connection, each way: request heads larger than this are refused.
const MAX_BUFFER: usize = 64 * 1024;

/// How long to wait before accepting again after a failure, at first and at most.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

/// Accepts connections for as long as the runtime runs: no error ends it.
pub(crate) async fn accept(listener: TcpListener, state: Arc<State>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut pause = Duration::ZERO;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return; // Only a closed semaphore refuses, and this one is never closed.
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                pause = Duration::ZERO;
                tokio::spawn(connection(stream, state.clone(), slot));
            }
            Err(error) if is_about_one_connection(&error) => {}
            Err(error) => {
                // Out of file descriptors (EMFILE, ENFILE) or memory: accept fails at once for
                // as long as it lasts, so wait for connections to close instead of spinning.
                if pause.is_zero() {
                    eprintln!("cannot accept connections ({error}): waiting for some to close");
                }
                pause = (pause * 2).clamp(FIRST_PAUSE, LONGEST_PAUSE);
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// A connection that failed before it was accepted: the next one may do well.
fn is_about_one_connection(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
    matches!(
        error.kind(),
        ConnectionAborted | ConnectionReset | Interrupted
    )
}

/// Answers the requests of one connection; its slot is freed when it closes.
async fn connection(stream: TcpStream, state: Arc<State>, _slot: OwnedSemaphorePermit) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| {
        let state = state.clone();
        async move { Ok::<_, Infallible>(respond(state, request).await) }
    });
    // A failed connection (timed out, reset, malformed) concerns only its client.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(IDLE)
        .max_buf_size(MAX_BUFFER)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn respond(state: Arc<State>, request: Request<Incoming>) -> Response<Body> {
    if let Some(refusal) = refuse(&state, &request) {
        return refusal;
    }
    let head = request.method() == Method::HEAD;
    match request.uri().path() {
        EVENTS_PATH => return events(&state, &request, head),
        WORKER_PATH => return script(head),
        _ => {}
    }
    let path = request.uri().path().to_string();
    let range = match request.headers().contains_key(header::IF_RANGE) {
        true => None,
        false => header_str(&request, header::RANGE).map(str::to_string),
    };
    // Dropped unread: hyper closes the connection after the answer rather than read a body.
    drop(request);
    // Rendering takes CPU time and files are opened with blocking calls: off the event loop.
    let answer = tokio::task::spawn_blocking(move || {
        let wanted = Wanted {
            range: range.as_deref(),
            head,
        };
        answer(&state, &path, &wanted)
    });
    answer.await.unwrap_or_else(|_| {
        text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "500: gazette failed to answer",
        )
    })
}

/// The refusal of a request from elsewhere than this machine's browsers, or not a read.
fn refuse(state: &State, request: &Request<Incoming>) -> Option<Response<Body>> {
    let allowed = |host: &str| host_allowed(host, state.options.bind, state.port);
    // A request line with a full URL names a host too: both must be this server.
    let host_ok = header_str(request, header::HOST).is_some_and(allowed)
        && request
            .uri()
            .authority()
            .is_none_or(|a| allowed(a.as_str()));
    if !host_ok {
        return Some(text(
            StatusCode::FORBIDDEN,
            "403: this server answers only to localhost",
        ));
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "405: only GET and HEAD");
        let allow = HeaderValue::from_static("GET, HEAD");
        response.headers_mut().insert(header::ALLOW, allow);
        return Some(response);
    }
    None
}

/// `Host: localhost:1111`, `127.0.0.1:1111`, `[::1]:1111`, or the bound address: a page on
/// another domain that resolves to this machine (DNS rebinding) is refused.
pub(crate) fn host_allowed(host: &str, bind: IpAddr, port: u16) -> bool {
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p))
            if !name.ends_with(':') && (name.starts_with('[') || !name.contains(':')) =>
        {
            (name, p.parse::<u16>().ok())
        }
        _ => (host, None),
    };
    if host_port.unwrap_or(80) != port {
        return false;
    }
    let name = name
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

fn header_str(request: &Request<Incoming>, name: header::HeaderName) -> Option<&str> {
    request.headers().get(name)?.to_str().ok()
}

/// The reload stream, for pages of this server only.
fn events(state: &State, request: &Request<Incoming>, head: bool) -> Response<Body> {
    let origin_ok = header_str(request, header::ORIGIN).is_none_or(|origin| {
        origin
            .strip_prefix("http://")
            .is_some_and(|h| host_allowed(h, state.options.bind, state.port))
    });
    if !origin_ok {
        return text(StatusCode::FORBIDDEN, "403: foreign origin");
    }
    let body = match head {
        true => Body::empty(),
        false => state.listeners.subscribe(|| {
            let build = state.current().map_or(0, |g| g.number);
            (build, state.error())
        }),
    };
    with_type(Response::new(body), "text/event-stream")
}

fn script(head: bool) -> Response<Body> {
    let body = match head {
        true => Body::empty(),
        false => Body::bytes(WORKER_SCRIPT),
    };
    with_type(Response::new(body), "text/javascript; charset=utf-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "app.localhost:1111",
        ] {
            assert!(host_allowed(ok, lo, 1111), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "192.168.1.2:1111",
            "localhost",
            "",
            "127.0.0.1.evil.example:1111",
        ] {
            assert!(!host_allowed(bad, lo, 1111), "{bad}");
        }
        assert!(host_allowed(
            "192.168.1.2:1111",
            "0.0.0.0".parse().unwrap(),
            1111
        ));
    }
}
