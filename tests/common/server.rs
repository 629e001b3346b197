//! A running `gazette serve --watch` and a reader of its reload stream, both over the
//! tests' one HTTP client (`common::http`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use super::TestSite;
use super::http::{self, Reply};

/// A running `gazette serve --watch` on a copy of a fixture; killed when dropped.
pub struct Served {
    child: Child,
    pub port: u16,
    pub site: TestSite,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(site: TestSite) -> Served {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command.args(["serve", "--watch", "--port", "0", "--root"]);
    command.arg(site.root());
    launch(command, site)
}

/// `gazette serve` (with `--watch` or not) allowed `open_files` file descriptors
/// (`ulimit -n`).
pub fn serve_with_open_files(site: TestSite, open_files: u32, watch: bool) -> Served {
    let watch = if watch { "--watch" } else { "" };
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -n {open_files} && exec \"$0\" serve {watch} --port 0 --root \"$1\""
        ))
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .arg(site.root());
    launch(command, site)
}

fn launch(mut command: Command, site: TestSite) -> Served {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting gazette serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server prints its URL");
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    Served { child, port, site }
}

impl Served {
    /// `request` sent as is; a reply with status 0 if there was none.
    pub fn raw(&self, request: &str) -> Reply {
        http::send(self.port, request.as_bytes()).unwrap_or(Reply {
            status: 0,
            head: String::new(),
            body: Vec::new(),
        })
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        http::request(self.port, "GET", path, headers, b"")
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The server's process id (for /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Opens the reload stream and waits for the server's greeting (`hello` and the current
    /// build); the events that follow arrive as "name: data".
    pub fn events(&self) -> Events {
        let request = format!(
            "GET /__gazette/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            self.port
        );
        let (reply, body) =
            http::open(self.port, request.as_bytes()).expect("opening the reload stream");
        assert_eq!(reply.status, 200, "{}", reply.head);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in body.lines() {
                let Ok(line) = line else { return };
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(format!("{event}: {data}")).is_err()
                {
                    return;
                }
            }
        });
        let hello = rx.recv_timeout(Duration::from_secs(20));
        assert!(
            hello.as_ref().is_ok_and(|h| h.starts_with("hello: ")),
            "the stream starts with a hello: {hello:?}"
        );
        Events { rx }
    }

    pub fn path(&self, rel: &str) -> std::path::PathBuf {
        self.site.root().join(rel)
    }
}

pub struct Events {
    rx: Receiver<String>,
}

impl Events {
    /// Every event until `quiet` passes without one, waiting up to `first` for the first.
    pub fn collect(&self, first: Duration, quiet: Duration) -> Vec<String> {
        let mut events = Vec::new();
        let Ok(event) = self.rx.recv_timeout(first) else {
            return events;
        };
        events.push(event);
        while let Ok(event) = self.rx.recv_timeout(quiet) {
            events.push(event);
        }
        events
    }

    pub fn reloads_after_save(&self) -> Vec<String> {
        self.collect(Duration::from_secs(20), Duration::from_millis(1500))
    }
}
