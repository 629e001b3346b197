//! What `serve` answers with -> hyper's body frames: bytes held in memory (a rendered page), a
//! file read from disk a chunk at a time (static files, never held whole), or the reload stream.

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use hyper::body::{Bytes, Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;

/// Bytes read from disk at a time: large enough that a 1 GiB file takes few trips to the
/// blocking pool, small enough that many downloads at once cost little memory.
const CHUNK: usize = 256 * 1024;

/// How often an idle reload stream says it is still there: a write to a closed tab fails,
/// which is how the stream learns that the tab is gone.
const PING: Duration = Duration::from_secs(15);

pub(crate) enum Body {
    /// All of it at once; `None` once sent.
    Bytes(Option<Bytes>),
    File(FileStream),
    Events(EventStream),
}

impl Body {
    pub(crate) fn empty() -> Body {
        Body::Bytes(None)
    }

    pub(crate) fn bytes(bytes: impl Into<Bytes>) -> Body {
        Body::Bytes(Some(bytes.into()))
    }

    /// The next `length` bytes of `file`, from where it stands.
    pub(crate) fn file(file: std::fs::File, length: u64) -> Body {
        Body::File(FileStream {
            file: tokio::fs::File::from_std(file),
            remaining: length,
            buffer: vec![0; CHUNK].into_boxed_slice(),
        })
    }

    /// `first`, then each message sent on `messages` until its sender is gone. Must be called
    /// inside the runtime (it starts a timer).
    pub(crate) fn events(first: Bytes, messages: mpsc::Receiver<Bytes>) -> Body {
        let start = tokio::time::Instant::now() + PING;
        let mut ping = tokio::time::interval_at(start, PING);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Body::Events(EventStream {
            first: Some(first),
            messages,
            ping,
        })
    }
}

pub(crate) struct FileStream {
    file: tokio::fs::File,
    remaining: u64,
    buffer: Box<[u8]>,
}

pub(crate) struct EventStream {
    first: Option<Bytes>,
    messages: mpsc::Receiver<Bytes>,
    ping: tokio::time::Interval,
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.get_mut() {
            Body::Bytes(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::File(file) => file.poll_chunk(cx),
            Body::Events(events) => events.poll_message(cx).map(|m| Some(Ok(Frame::data(m)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Bytes(bytes) => bytes.is_none(),
            Body::File(file) => file.remaining == 0,
            Body::Events(_) => false,
        }
    }

    /// Exact for bytes and files: hyper then sends a `Content-Length`, not chunks.
    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Bytes(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Body::File(file) => SizeHint::with_exact(file.remaining),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

impl FileStream {
    fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let wanted = usize::try_from(self.remaining).map_or(CHUNK, |r| r.min(CHUNK));
        let mut buffer = ReadBuf::new(&mut self.buffer[..wanted]);
        if let Err(error) = ready!(Pin::new(&mut self.file).poll_read(cx, &mut buffer)) {
            return Poll::Ready(Some(Err(error)));
        }
        let read = buffer.filled();
        if read.is_empty() {
            // The length was promised in the headers: ending early must break the connection,
            // not leave the browser with a short file it believes whole.
            let error = std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the file got shorter while it was sent",
            );
            return Poll::Ready(Some(Err(error)));
        }
        self.remaining -= read.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(Bytes::copy_from_slice(read)))))
    }
}

impl EventStream {
    /// The next message, or a ping after a quiet while; never the end (the tab ends it).
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Bytes> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(first);
        }
        match self.messages.poll_recv(cx) {
            Poll::Ready(Some(message)) => return Poll::Ready(message),
            // The server dropped this stream's sender: only pings from now on.
            Poll::Ready(None) | Poll::Pending => {}
        }
        ready!(self.ping.poll_tick(cx));
        Poll::Ready(Bytes::from_static(b": still here\n\n"))
    }
}
