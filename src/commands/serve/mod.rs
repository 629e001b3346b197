//! `gazette serve`: the site built in memory and served over HTTP, each file rendered when a
//! browser asks for it; with `--watch`, rebuilt on every save and reloaded in open browsers.
//! Only files of the build are served, and only to this machine's browsers: requests whose
//! `Host` (or, for the reload stream, `Origin`) is foreign are refused.

use std::collections::HashMap;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response};

use crate::error::{Diagnostics, Error, Warning};
use crate::render::{Content, Target};
use crate::{Caches, How, Prepared, load_config, plan, read_site};

mod patch;
mod watch;

/// Where the reload stream is served.
pub const EVENTS_PATH: &str = "/__gazette/events";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub watch: bool,
    pub drafts: bool,
    pub poll: bool,
}

/// One successful build, rendering files on demand and keeping what it rendered.
struct Generation {
    prepared: Prepared,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Generation {
    fn file(&self, key: &str) -> Option<Result<Arc<Vec<u8>>, Error>> {
        if let Some(bytes) = self.rendered.lock().ok()?.get(key) {
            return Some(Ok(bytes.clone()));
        }
        let &index = self.prepared.inputs.plan.index.get(key)?;
        let bytes = match crate::render::render_one(&self.prepared.inputs, index) {
            Ok(Content::Bytes(bytes)) => Arc::new(bytes),
            Ok(Content::Copy(path)) => match std::fs::read(&path) {
                Ok(bytes) => Arc::new(bytes),
                Err(e) => return Some(Err(Error::io(&path, e))),
            },
            Err(e) => return Some(Err(e)),
        };
        if let Ok(mut rendered) = self.rendered.lock() {
            rendered.insert(key.to_string(), bytes.clone());
        }
        Some(Ok(bytes))
    }

    fn has(&self, key: &str) -> bool {
        self.prepared.inputs.plan.index.contains_key(key)
    }
}

/// What the server shares between its request threads and the rebuild loop.
struct State {
    options: ServeOptions,
    /// The site's root as the watcher reports paths under it (canonical).
    root: PathBuf,
    base_url: String,
    port: u16,
    generation: RwLock<Option<Arc<Generation>>>,
    /// The last build's error, while it is not fixed.
    error: RwLock<Option<String>>,
    clients: Mutex<Vec<Sender<String>>>,
    caches: Caches,
}

/// A running server: its address, and the loop that rebuilds on changes.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
}

impl Server {
    /// Binds the port and builds the site once (a failed build is served as an error page).
    pub fn start(options: ServeOptions) -> Result<Server, Error> {
        let http = tiny_http::Server::http((options.bind, options.port)).map_err(|e| {
            Error::Serve(format!(
                "cannot listen on {}:{}: {e}",
                options.bind, options.port
            ))
        })?;
        let port = http
            .server_addr()
            .to_ip()
            .map_or(options.port, |a| a.port());
        let host = match options.bind {
            ip if ip.is_unspecified() => "localhost".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        let state = Arc::new(State {
            root: std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone()),
            base_url: format!("http://{host}:{port}"),
            port,
            options,
            generation: RwLock::new(None),
            error: RwLock::new(None),
            clients: Mutex::new(Vec::new()),
            caches: Caches::default(),
        });
        state.rebuild(&[]);
        Ok(Server {
            http: Arc::new(http),
            state,
        })
    }

    /// `http://127.0.0.1:1111`
    pub fn url(&self) -> &str {
        &self.state.base_url
    }

    /// Answers requests on background threads.
    pub fn spawn_http(&self) -> std::thread::JoinHandle<()> {
        let http = self.http.clone();
        let state = self.state.clone();
        std::thread::spawn(move || {
            for request in http.incoming_requests() {
                let state = state.clone();
                std::thread::spawn(move || handle(&state, request));
            }
        })
    }

    /// Rebuilds after every burst of changes, forever (or until the watcher stops).
    pub fn watch(&self) -> Result<(), Error> {
        let mut watcher = watch::Watcher::start(&self.state.options.root, self.state.options.poll)
            .map_err(Error::Serve)?;
        while let Some(changed) = watcher.next_batch(Duration::from_millis(30)) {
            if !changed.is_empty() {
                self.state.rebuild(&changed);
            }
        }
        Ok(())
    }
}

impl State {
    /// Rebuilds in memory; swaps the new build in, then tells the browsers to reload.
    fn rebuild(&self, changed: &[PathBuf]) {
        let started = Instant::now();
        let patched = self.patch(changed);
        if patched.is_some() && std::env::var_os("GAZETTE_TIMINGS").is_some() {
            eprintln!(
                "timing: patch          {:>7.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        let result = patched.unwrap_or_else(|| self.prepare_all(changed));
        match result {
            Ok((prepared, warnings)) => {
                if changed.is_empty() {
                    for warning in &warnings {
                        eprintln!("{warning}");
                    }
                }
                let generation = Arc::new(Generation {
                    prepared,
                    rendered: Mutex::new(HashMap::new()),
                });
                let previous = self
                    .generation
                    .write()
                    .ok()
                    .and_then(|mut current| current.replace(generation));
                if let Ok(mut error) = self.error.write() {
                    *error = None;
                }
                let css_only = !changed.is_empty()
                    && changed
                        .iter()
                        .all(|p| p.extension().is_some_and(|e| e == "css"));
                eprintln!("rebuilt in {} ms", started.elapsed().as_millis());
                self.broadcast("reload", if css_only { "css" } else { "page" });
                // Freeing a large site takes a while: not before the browsers are told.
                drop(previous);
            }
            Err(error) => {
                let message: Vec<String> = error.flatten().iter().map(|e| e.to_string()).collect();
                let message = message.join("\n");
                let fallback = if self.current().is_some() {
                    "still serving the last good build"
                } else {
                    "fix it and save: the site will appear"
                };
                eprintln!("{message}\nthe build failed: {fallback}");
                if let Ok(mut current) = self.error.write() {
                    *current = Some(message.clone());
                }
                self.broadcast("build-error", &message);
            }
        }
    }

    /// The last build with the edited pages updated, when the edit moves no page and the
    /// last build succeeded (after a failure, sources may differ from it in other ways).
    fn patch(&self, changed: &[PathBuf]) -> Option<Result<(Prepared, Vec<Warning>), Error>> {
        if changed.is_empty() || self.error().is_some() {
            return None;
        }
        let current = self.current()?;
        let (prepared, diagnostics) =
            patch::patch_bodies(&current.prepared, &self.root, changed, &self.caches)?;
        Some(into_result(prepared, diagnostics))
    }

    /// The whole pipeline, from reading the sources; every body rendered (their mistakes are
    /// reported now), files rendered on demand.
    fn prepare_all(&self, changed: &[PathBuf]) -> Result<(Prepared, Vec<Warning>), Error> {
        let config = load_config(&self.options.root, Some(&self.base_url))?;
        let mut diagnostics = Diagnostics::default();
        let site = read_site(
            &config,
            self.options.drafts,
            Some(&self.caches),
            &mut diagnostics,
        );
        let cache = Some(self.caches.bodies.clone());
        let prepared = plan(config, site, How::default(), cache, &mut diagnostics);
        if let Some(prepared) = &prepared {
            prepared.bodies.render_all();
            self.caches.bodies.keep_only(&prepared.bodies.keys());
            let bodies = prepared.bodies.diagnostics();
            diagnostics.errors.extend(bodies.errors);
            diagnostics.warnings.extend(bodies.warnings);
        }
        let (prepared, warnings) = into_result(prepared, diagnostics)?;
        let probed = Instant::now();
        // Template mistakes come with template (or config) edits: probe after those.
        if touches_templates(&self.root, changed) {
            probe_templates(&prepared)?;
        }
        if std::env::var_os("GAZETTE_TIMINGS").is_some() {
            eprintln!(
                "timing: probe          {:>7.1} ms",
                probed.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok((prepared, warnings))
    }

    fn broadcast(&self, event: &str, data: &str) {
        let lines: String = data.lines().map(|l| format!("data: {l}\n")).collect();
        let message = format!("event: {event}\n{lines}\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|client| client.send(message.clone()).is_ok());
        }
    }

    fn current(&self) -> Option<Arc<Generation>> {
        self.generation.read().ok()?.clone()
    }

    fn error(&self) -> Option<String> {
        self.error.read().ok()?.clone()
    }
}

/// What a run of the pipeline gave: the site and its warnings, or every error found.
fn into_result(
    prepared: Option<Prepared>,
    mut diagnostics: Diagnostics,
) -> Result<(Prepared, Vec<Warning>), Error> {
    diagnostics.stop_on_errors()?;
    let warnings = diagnostics.sorted_warnings();
    // A stage that stops the pipeline always says why.
    prepared
        .map(|p| (p, warnings))
        .ok_or(Error::Many(Vec::new()))
}

/// Renders one file of each kind (each page template, each feed, an email) and drops them:
/// `serve` renders on demand, and this finds template errors at rebuild time.
fn probe_templates(prepared: &Prepared) -> Result<(), Error> {
    let plan = &prepared.inputs.plan;
    let mut seen = std::collections::HashSet::new();
    let mut probes = Vec::new();
    for (index, (_, target)) in plan.targets.iter().enumerate() {
        let kind = match target {
            Target::Page(job) => plan.jobs[*job].template.clone(),
            Target::Feed { kind, .. } => format!("{kind:?}"),
            Target::Email { text, .. } => format!("email {text}"),
            Target::Sitemap | Target::Robots | Target::Copy(_) => continue,
        };
        if seen.insert(kind) {
            probes.push(index);
        }
    }
    crate::render::render_many(&prepared.inputs, &probes, |_| Ok(()))
}

/// Whether a rebuild follows a change to templates, interface strings or the config (or is
/// the first build).
fn touches_templates(root: &std::path::Path, changed: &[PathBuf]) -> bool {
    changed.is_empty()
        || changed.iter().any(|path| {
            let relative = path.strip_prefix(root).unwrap_or(path);
            relative.starts_with("themes")
                || relative.starts_with("templates")
                || relative == std::path::Path::new("config.toml")
        })
}

/// The build file a request path names, or None: `..`, `.`, backslashes and NUL are refused
/// after decoding, and the result is only ever looked up among the build's own files.
pub(crate) fn resolve_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            other => segments.push(other),
        }
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A path as a URL: bytes other than letters, digits, `/` and `-._~` percent-encoded (a
/// folder of static/ may have any name).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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

fn header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(text)
        .with_status_code(status)
        .with_header(content_type("text/plain; charset=utf-8"))
}

fn content_type(value: &str) -> Header {
    Header::from_bytes("Content-Type", value).expect("a valid header name and value")
}

fn handle(state: &State, request: Request) {
    let bind = state.options.bind;
    let host_ok = header(&request, "Host").is_some_and(|h| host_allowed(h, bind, state.port));
    if !host_ok {
        let _ = request.respond(text_response(
            403,
            "403: this server answers only to localhost",
        ));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text_response(405, "405: only GET and HEAD"));
        return;
    }
    let url = request.url().to_string();
    if url.split('?').next() == Some(EVENTS_PATH) {
        let origin_ok = header(&request, "Origin").is_none_or(|origin| {
            origin
                .strip_prefix("http://")
                .is_some_and(|h| host_allowed(h, bind, state.port))
        });
        if !origin_ok {
            let _ = request.respond(text_response(403, "403: foreign origin"));
            return;
        }
        stream_events(state, request);
        return;
    }
    let _ = serve_file(state, request, &url);
}

fn serve_file(state: &State, request: Request, url: &str) -> std::io::Result<()> {
    let Some(generation) = state.current() else {
        let error = state
            .error()
            .unwrap_or_else(|| "the site could not be built".into());
        let html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>gazette: build error</title></head><body></body></html>";
        let html = inject(html, Some(&error));
        return request.respond(
            Response::from_string(html)
                .with_status_code(500)
                .with_header(content_type("text/html; charset=utf-8")),
        );
    };
    let Some(key) = resolve_path(url) else {
        return not_found(state, &generation, request);
    };
    if !generation.has(&key) && generation.has(&format!("{key}/index.html")) {
        // Built from the resolved path, never the raw one: `//host` would leave the site.
        let location = format!("/{}/", percent_encode(&key));
        let location = Header::from_bytes("Location", location).expect("an ASCII header value");
        return request.respond(Response::empty(301).with_header(location));
    }
    match generation.file(&key) {
        Some(Ok(bytes)) => respond_bytes(state, request, &key, &bytes, 200),
        Some(Err(error)) => {
            let message = error.to_string();
            eprintln!("{message}");
            let html = inject(
                "<!doctype html><html><head><meta charset=\"utf-8\"></head><body></body></html>",
                Some(&message),
            );
            request.respond(
                Response::from_string(html)
                    .with_status_code(500)
                    .with_header(content_type("text/html; charset=utf-8")),
            )
        }
        None => not_found(state, &generation, request),
    }
}

fn not_found(state: &State, generation: &Generation, request: Request) -> std::io::Result<()> {
    match generation.file("404.html") {
        Some(Ok(bytes)) => respond_bytes(state, request, "404.html", &bytes, 404),
        _ => request.respond(text_response(404, "404: not found")),
    }
}

fn respond_bytes(
    state: &State,
    request: Request,
    key: &str,
    bytes: &[u8],
    status: u16,
) -> std::io::Result<()> {
    let mime = mime_type(key);
    let body = if mime.starts_with("text/html") && !key.ends_with("email.html") {
        let html = String::from_utf8_lossy(bytes);
        // Listening on every interface, the pages are also read from other machines (a phone):
        // root-relative links work whatever address they used.
        let html = if state.options.bind.is_unspecified() {
            root_relative(&html, &state.base_url)
        } else {
            html.into_owned()
        };
        inject(&html, state.error().as_deref()).into_bytes()
    } else {
        bytes.to_vec()
    };
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(content_type(mime))
        .with_header(Header::from_bytes("Cache-Control", "no-store").expect("a valid header"));
    request.respond(response)
}

/// `"http://localhost:1111/fr/"` -> `"/fr/"` in every quoted URL of a page.
fn root_relative(html: &str, base_url: &str) -> String {
    html.replace(&format!("\"{base_url}/"), "\"/")
}

fn mime_type(key: &str) -> &'static str {
    match key
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

const RELOAD_SCRIPT: &str = r#"<script>/* gazette serve: live reload */(function () {
  if (!window.EventSource) return;
  var source = new EventSource("/__gazette/events");
  function overlay() {
    var box = document.getElementById("gazette-error");
    if (!box) {
      box = document.createElement("pre");
      box.id = "gazette-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#ffd9d6;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647;border-top:4px solid #e5484d";
      document.body.appendChild(box);
    }
    return box;
  }
  source.addEventListener("reload", function (event) {
    if (event.data === "css") {
      var box = document.getElementById("gazette-error");
      if (box) box.remove();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href);
        url.searchParams.set("gazette", Date.now());
        link.href = url.href;
      });
    } else {
      location.reload();
    }
  });
  source.addEventListener("build-error", function (event) {
    overlay().textContent = event.data;
  });
})();</script>"#;

/// Adds the live-reload script (and the error overlay while the build is broken) to a page.
fn inject(html: &str, error: Option<&str>) -> String {
    let overlay = error.map(|message| {
        format!(
            "<pre id=\"gazette-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#ffd9d6;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647;border-top:4px solid #e5484d\">{}</pre>",
            crate::markdown::escape_html(message)
        )
    });
    let addition = format!("{}{RELOAD_SCRIPT}", overlay.unwrap_or_default());
    match html.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &html[..at], &html[at..]),
        None => format!("{html}{addition}"),
    }
}

/// Holds a Server-Sent Events stream open, writing each reload as it comes.
fn stream_events(state: &State, request: Request) {
    let (tx, rx): (Sender<String>, Receiver<String>) = channel();
    if let Ok(mut clients) = state.clients.lock() {
        clients.push(tx);
    }
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 300\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    if let Some(error) = state.error() {
        let lines: String = error.lines().map(|l| format!("data: {l}\n")).collect();
        let _ = writer
            .write_all(format!("event: build-error\n{lines}\n").as_bytes())
            .and_then(|()| writer.flush());
    }
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_build() {
        assert_eq!(resolve_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve_path("/fr/a/?x=1#y").as_deref(),
            Some("fr/a/index.html")
        );
        assert_eq!(resolve_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            resolve_path("/%C3%A9t%C3%A9.png").as_deref(),
            Some("été.png")
        );
        for bad in [
            "/../config.toml",
            "/%2e%2e/config.toml",
            "/..%2fconfig.toml",
            "/..%5cconfig.toml",
            "/a/../../b",
            "/%00",
            "/%zz",
            "x",
            "/.%2e/x",
        ] {
            assert_eq!(resolve_path(bad), None, "{bad}");
        }
        assert_eq!(
            resolve_path("/%252e%252e/config.toml").as_deref(),
            Some("%2e%2e/config.toml"),
            "decoded once only"
        );
    }

    #[test]
    fn redirects_are_ascii_and_lead_back_to_the_same_path() {
        for path in ["fr/articles", "café/été", "a b/c%d", "x\r\ny"] {
            let encoded = percent_encode(path);
            assert!(encoded.is_ascii() && !encoded.contains(['\r', '\n', ' ']));
            assert_eq!(percent_decode(&encoded).as_deref(), Some(path));
        }
    }

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

    #[test]
    fn links_become_root_relative_for_other_machines() {
        let html = r#"<a href="http://localhost:1111/fr/">x</a> <link href="http://localhost:1111/style.css">"#;
        assert_eq!(
            root_relative(html, "http://localhost:1111"),
            r#"<a href="/fr/">x</a> <link href="/style.css">"#
        );
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", Some("a <b> & c"));
        assert!(html.ends_with("</script></body></html>"));
        assert!(html.contains("a &lt;b&gt; &amp; c"));
    }
}
