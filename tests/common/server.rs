//! A running `gazette serve --watch`, a raw HTTP client and a reader of its reload stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use super::TestSite;

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--watch", "--port", "0", "--root"])
        .arg(site.root())
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

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Served {
    pub fn raw(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connecting");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    /// Opens the reload stream; events arrive as "name: data".
    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connecting");
        let request = format!(
            "GET /__gazette/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            self.port
        );
        stream.write_all(request.as_bytes()).unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(stream).lines() {
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
        let events = Events { rx };
        std::thread::sleep(Duration::from_millis(200));
        events
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
