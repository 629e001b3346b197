//! `gazette serve`: the site built in memory and served over HTTP, each file rendered when a
//! browser asks for it (static files streamed from disk); with `--watch`, rebuilt on every
//! save and reloaded in open browsers. Only files of the build are served, and only to this
//! machine's browsers: requests whose `Host` (or, for the reload stream, `Origin`) is foreign
//! are refused.
//!
//! Two threads: one runs the HTTP server (`http`, which answers with `answer`), the other
//! waits for changes and rebuilds (`watch`, then `rebuild`). The process ends when either can
//! go on no more.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::error::Error;
use crate::render::Content;
use crate::{Caches, Prepared};

mod answer;
mod body;
mod files;
mod http;
mod patch;
mod paths;
mod rebuild;
mod reload;
mod watch;

// For the property tests of the path guard.
#[cfg(test)]
pub(crate) use paths::resolve_path;
pub use reload::EVENTS_PATH;

/// Threads that render pages and read files for the server, at most: it answers one person.
const MAX_BLOCKING_THREADS: usize = 16;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: std::net::IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub watch: bool,
    pub drafts: bool,
    pub poll: bool,
}

/// A file of a build, as served.
enum Found {
    Rendered(Arc<Vec<u8>>),
    /// A static file: where it is, to be read as it is sent.
    Static(PathBuf),
}

/// One successful build, rendering files on demand and keeping what it rendered.
struct Generation {
    /// Pages tell the reload stream theirs: a page from another build reloads.
    number: u64,
    prepared: Prepared,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Generation {
    /// The file `key` names: rendered (once, then kept), or a static file's path (never
    /// kept in memory: static/ may hold videos).
    fn file(&self, key: &str) -> Option<Result<Found, Error>> {
        if let Some(bytes) = self.rendered.lock().ok()?.get(key) {
            return Some(Ok(Found::Rendered(bytes.clone())));
        }
        let &index = self.prepared.inputs.plan.index.get(key)?;
        let bytes = match crate::render::render_one(&self.prepared.inputs, index) {
            Ok(Content::Bytes(bytes)) => Arc::new(bytes),
            Ok(Content::Copy(path)) => return Some(Ok(Found::Static(path))),
            Err(e) => return Some(Err(e)),
        };
        if let Ok(mut rendered) = self.rendered.lock() {
            rendered.insert(key.to_string(), bytes.clone());
        }
        Some(Ok(Found::Rendered(bytes)))
    }

    fn has(&self, key: &str) -> bool {
        self.prepared.inputs.plan.index.contains_key(key)
    }
}

/// What the server shares between its requests and the rebuild loop.
struct State {
    options: ServeOptions,
    /// The site's root as the watcher reports paths under it (canonical).
    root: PathBuf,
    base_url: String,
    port: u16,
    generation: RwLock<Option<Arc<Generation>>>,
    /// The last build's number. Counted from the time the server started, so that a page of
    /// an earlier run of the server never has the number of one of this run.
    builds: AtomicU64,
    /// The last build's error, while it is not fixed.
    error: RwLock<Option<String>>,
    listeners: reload::Listeners,
    caches: Caches,
}

/// A server bound to its port with its first build done, ready to run.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    watcher: Option<watch::Watcher>,
    state: Arc<State>,
}

impl Server {
    /// Binds the port and builds the site once (a failed build is served as an error page).
    /// Fails at once when the root is not a folder or the port is taken.
    pub fn start(options: ServeOptions) -> Result<Server, Error> {
        let root = site_root(&options.root)?;
        let runtime = runtime()?;
        let address = std::net::SocketAddr::new(options.bind, options.port);
        let listener = runtime.block_on(async { listen(address) }).map_err(|e| {
            Error::Serve(format!(
                "cannot listen on {}:{}: {e}",
                options.bind, options.port
            ))
        })?;
        let port = listener.local_addr().map_or(options.port, |a| a.port());
        // Watching from before the first build: a save made during it is not missed.
        let watcher = match options.watch {
            true => Some(watch::Watcher::start(&root, options.poll).map_err(Error::Serve)?),
            false => None,
        };
        let host = match options.bind {
            ip if ip.is_unspecified() => "localhost".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            std::net::IpAddr::V4(ip) => ip.to_string(),
        };
        let state = Arc::new(State {
            root,
            base_url: format!("http://{host}:{port}"),
            port,
            options,
            generation: RwLock::new(None),
            builds: AtomicU64::new(started_at()),
            error: RwLock::new(None),
            listeners: reload::Listeners::default(),
            caches: Caches::default(),
        });
        state.rebuild(&[]);
        Ok(Server {
            runtime,
            listener,
            watcher,
            state,
        })
    }

    /// `http://127.0.0.1:1111`
    pub fn url(&self) -> &str {
        &self.state.base_url
    }

    /// Serves, and with `--watch` rebuilds after every burst of changes, until one of the two
    /// can go on no more; returns why. No error stops the serving, so without `--watch` this
    /// returns only if a thread cannot be started; with it, the watcher never goes on
    /// rebuilding behind a server that stopped, nor the server serving a site no longer
    /// rebuilt.
    pub fn run(self) -> Error {
        let Server {
            runtime,
            listener,
            watcher,
            state,
        } = self;
        let (ended, why) = channel();
        let http_state = state.clone();
        let stopped = Ended(ended.clone(), "the server stopped accepting connections");
        let serving = spawn("gazette-http", stopped, move || {
            runtime.block_on(http::accept(listener, http_state));
        });
        if let Err(error) = serving {
            return error;
        }
        if let Some(mut watcher) = watcher {
            let stopped = Ended(
                ended,
                "the watcher stopped: changes would no longer be seen",
            );
            let watching = spawn("gazette-watch", stopped, move || {
                while let Some(changed) = watcher.next_batch(Duration::from_millis(30)) {
                    if !changed.is_empty() {
                        state.rebuild(&changed);
                    }
                }
            });
            if let Err(error) = watching {
                return error;
            }
        } else {
            drop(ended);
        }
        let why = why.recv().unwrap_or("the server stopped");
        Error::Serve(format!("{why}: stopping"))
    }
}

/// Runs `work` on a thread of its own, which says when it ends through `ended`.
fn spawn(name: &str, ended: Ended, work: impl FnOnce() + Send + 'static) -> Result<(), Error> {
    let thread = std::thread::Builder::new().name(name.into());
    let started = thread.spawn(move || {
        let _ended = ended;
        work();
    });
    started
        .map(drop)
        .map_err(|e| Error::Serve(format!("cannot start {name}: {e}")))
}

/// Says that its thread ended, when dropped: however it ended, a panic included.
struct Ended(Sender<&'static str>, &'static str);

impl Drop for Ended {
    fn drop(&mut self) {
        let _ = self.0.send(self.1);
    }
}

/// The site's folder, canonical (as the watcher reports paths under it), or why not.
fn site_root(root: &Path) -> Result<PathBuf, Error> {
    let refuse = |what: &str| {
        Error::Serve(format!(
            "{}: {what}: --root names the site's folder, where config.toml is",
            root.display()
        ))
    };
    match std::fs::canonicalize(root) {
        Ok(canonical) if canonical.is_dir() => Ok(canonical),
        Ok(_) => Err(refuse("not a folder")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(refuse("no such folder")),
        Err(e) => Err(refuse(&format!("cannot open it ({e})"))),
    }
}

/// Connections the kernel may hold for the server to accept: past the server's cap on open
/// connections, a burst waits there rather than in retried handshakes.
const BACKLOG: u32 = 1024;

/// A listening socket at `address`, with room in its queue. Must be called inside the runtime.
fn listen(address: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match address {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // As std and tokio do: a restarted server can take its port back at once.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Milliseconds since 1970 (0 if the clock is before that).
fn started_at() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX / 2))
}

/// One thread runs every connection (they mostly wait); rendering and file reads go to a
/// pool of blocking threads.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .thread_name("gazette-serve")
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server: {e}")))
}

impl State {
    fn current(&self) -> Option<Arc<Generation>> {
        self.generation.read().ok()?.clone()
    }

    fn error(&self) -> Option<String> {
        self.error.read().ok()?.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What keeps `--watch` from rebuilding behind a server that died, and the reverse.
    #[test]
    fn a_thread_that_ends_even_by_a_panic_says_so() {
        let (ended, why) = channel();
        spawn("a thread", Ended(ended, "gone"), || panic!("a bug")).expect("a thread");
        assert_eq!(why.recv_timeout(Duration::from_secs(10)), Ok("gone"));
    }
}
