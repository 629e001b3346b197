//! Live reload: the script added to every page, the shared worker it talks to, and the
//! Server-Sent Events stream (`hello` with the current build on connect, then `reload` and
//! `build-error` as builds come) that the server writes to every open stream.

use std::sync::Mutex;

use hyper::body::Bytes;
use tokio::sync::mpsc;

use super::body::Body;

/// Where the reload stream is served.
pub const EVENTS_PATH: &str = "/__gazette/events";

/// Where the shared worker's script is served.
pub(crate) const WORKER_PATH: &str = "/__gazette/reload-worker.js";

/// Messages a stream may fall behind by: a tab that does not read them loses reloads, not
/// the server's memory.
const BACKLOG: usize = 16;

/// The open reload streams.
#[derive(Default)]
pub(crate) struct Listeners {
    senders: Mutex<Vec<mpsc::Sender<Bytes>>>,
}

impl Listeners {
    /// A new stream: how soon to reconnect, the build being served and its error if the last
    /// build failed, both from `now`. Must be called inside the runtime.
    pub(crate) fn subscribe(&self, now: impl FnOnce() -> (u64, Option<String>)) -> Body {
        let (sender, receiver) = mpsc::channel(BACKLOG);
        if let Ok(mut senders) = self.senders.lock() {
            senders.push(sender);
        }
        // Read once listening: a build swapped in before this is in the hello, and one
        // after it comes as a reload.
        let (build, error) = now();
        let mut first = format!(
            "retry: 300\n\n{}",
            message("hello", None, &build.to_string())
        );
        if let Some(error) = error {
            first.push_str(&message("build-error", None, &error));
        }
        Body::events(Bytes::from(first), receiver)
    }

    /// Writes `message` to every open stream, forgetting those whose tab is gone.
    pub(crate) fn send(&self, message: String) {
        let message = Bytes::from(message);
        if let Ok(mut senders) = self.senders.lock() {
            senders.retain(|sender| match sender.try_send(message.clone()) {
                Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            });
        }
    }
}

/// One Server-Sent Event; `id` is the build a reload leads to.
pub(crate) fn message(event: &str, id: Option<u64>, data: &str) -> String {
    let id = id.map(|id| format!("id: {id}\n")).unwrap_or_default();
    let lines: String = data.lines().map(|l| format!("data: {l}\n")).collect();
    format!("event: {event}\n{id}{lines}\n")
}

/// The page's side, called with the build it was rendered from: a `hello` naming another
/// build (one came while the page was loading, or the server restarted) reloads it too.
///
/// Browsers open at most six HTTP/1.1 connections to a host and a reload stream holds one
/// while its tab is open, so with a stream per tab a seventh tab never loads. A SharedWorker
/// holds one stream for all the site's tabs. (A WebSocket would escape the limit too, at the
/// cost of a second protocol and its handshake in the server.) Without SharedWorker (Chrome
/// on Android), or if the worker fails, each tab opens its own stream, as before.
const PAGE_SCRIPT: &str = r#"(function (built) {
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
  function receive(kind, data, id) {
    if (kind === "alone") {
      listen();
    } else if (kind === "hello") {
      if (Number(data) !== built) location.reload();
    } else if (kind === "reload" && data === "css") {
      built = Number(id);
      var box = document.getElementById("gazette-error");
      if (box) box.remove();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href);
        url.searchParams.set("gazette", Date.now());
        link.href = url.href;
      });
    } else if (kind === "reload") {
      location.reload();
    } else if (kind === "build-error") {
      overlay().textContent = data;
    }
  }
  var direct = false;
  function listen() {
    if (direct || !window.EventSource) return;
    direct = true;
    var source = new EventSource("/__gazette/events");
    ["hello", "reload", "build-error"].forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        receive(kind, event.data, event.lastEventId);
      });
    });
  }
  if (!window.SharedWorker) return listen();
  var worker;
  try {
    worker = new SharedWorker("/__gazette/reload-worker.js", "gazette");
  } catch (error) {
    return listen();
  }
  worker.onerror = listen;
  worker.port.onmessage = function (event) {
    receive(event.data.kind, event.data.data, event.data.id);
  };
  addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
  addEventListener("pageshow", function (event) {
    if (event.persisted) worker.port.postMessage("hello");
  });
})"#;

/// The worker: one stream, each of its events passed on to every tab still open. A new tab
/// is told the current build at once. A browser without EventSource in workers has each tab
/// listen alone.
pub(crate) const WORKER_SCRIPT: &str = r#"/* gazette serve: one reload stream for every tab of the site */
var ports = [];
var latest = null;
var source = self.EventSource ? new EventSource("/__gazette/events") : null;
function post(port, kind, data, id) {
  port.postMessage({ kind: kind, data: data, id: id });
}
["hello", "reload", "build-error"].forEach(function (kind) {
  if (source) source.addEventListener(kind, function (event) {
    if (kind === "hello") latest = event.data;
    if (kind === "reload") latest = event.lastEventId;
    ports.forEach(function (port) { post(port, kind, event.data, event.lastEventId); });
  });
});
onconnect = function (event) {
  var port = event.ports[0];
  if (!source) return post(port, "alone");
  ports.push(port);
  port.onmessage = function (message) {
    var at = ports.indexOf(port);
    if (message.data === "bye" && at >= 0) ports.splice(at, 1);
    if (message.data === "hello" && at < 0) {
      ports.push(port);
      if (latest !== null) post(port, "hello", latest);
    }
  };
  if (latest !== null) post(port, "hello", latest);
};
"#;

const OVERLAY_STYLE: &str = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#ffd9d6;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647;border-top:4px solid #e5484d";

/// Adds the live-reload script (and the error overlay while the build is broken) to a page
/// rendered from build number `build`.
pub(crate) fn inject(html: &str, error: Option<&str>, build: u64) -> String {
    let overlay = error.map(|message| {
        format!(
            "<pre id=\"gazette-error\" role=\"alert\" style=\"{OVERLAY_STYLE}\">{}</pre>",
            crate::markdown::escape_html(message)
        )
    });
    let addition = format!(
        "{}<script>/* gazette serve: live reload */{PAGE_SCRIPT}({build});</script>",
        overlay.unwrap_or_default()
    );
    match html.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &html[..at], &html[at..]),
        None => format!("{html}{addition}"),
    }
}

/// `"http://localhost:1111/fr/"` -> `"/fr/"` in every quoted URL of a page.
pub(crate) fn root_relative(html: &str, base_url: &str) -> String {
    html.replace(&format!("\"{base_url}/"), "\"/")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let html = inject("<html><body><p>x</p></body></html>", Some("a <b> & c"), 7);
        assert!(html.ends_with("})(7);</script></body></html>"));
        assert!(html.contains("a &lt;b&gt; &amp; c"));
    }

    #[test]
    fn events_have_one_data_line_per_line() {
        assert_eq!(
            message("build-error", None, "a.md:1:2: x\n  y"),
            "event: build-error\ndata: a.md:1:2: x\ndata:   y\n\n"
        );
        assert_eq!(
            message("reload", Some(3), "page"),
            "event: reload\nid: 3\ndata: page\n\n"
        );
    }
}
