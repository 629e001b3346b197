//! The one HTTP/1.1 client of the tests, for `gazette serve` and for chromedriver alike: a
//! request (well-formed, or raw bytes for the hostile ones) and its reply, read by its
//! `Content-Length`, its chunks, or to the end; or a reply's body read as it streams.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long a read may wait: chromedriver starting a browser is the slowest.
const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Reply {
    pub status: u16,
    /// The status line and headers, as received.
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// The first value of header `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `method path` to 127.0.0.1:`port` with `headers`, and `body` if not empty; reads the reply.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Reply> {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    send(port, &bytes)
}

/// Sends `request` exactly as given and reads the reply.
pub fn send(port: u16, request: &[u8]) -> io::Result<Reply> {
    read_reply(request, open(port, request)?)
}

/// Like `send`, then says that nothing more will come (for an unfinished request: the server
/// sees its end at once instead of waiting for the rest).
pub fn send_and_end(port: u16, request: &[u8]) -> io::Result<Reply> {
    read_reply(request, open_with(port, request, true)?)
}

fn read_reply(
    request: &[u8],
    (mut reply, mut body): (Reply, Box<dyn BufRead + Send>),
) -> io::Result<Reply> {
    let head_request = request.starts_with(b"HEAD ");
    if !head_request && !matches!(reply.status, 100..=199 | 204 | 304) {
        body.read_to_end(&mut reply.body)?;
    }
    Ok(reply)
}

/// Sends `request` and reads the reply's head; the body is left to read as it comes.
pub fn open(port: u16, request: &[u8]) -> io::Result<(Reply, Box<dyn BufRead + Send>)> {
    open_with(port, request, false)
}

fn open_with(port: u16, request: &[u8], end: bool) -> io::Result<(Reply, Box<dyn BufRead + Send>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.write_all(request)?;
    if end {
        stream.shutdown(std::net::Shutdown::Write)?;
    }
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    if head.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no reply"));
    }
    let head = head.trim_end().to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let reply = Reply {
        status,
        head,
        body: Vec::new(),
    };
    let body: Box<dyn BufRead + Send> = if reply
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        Box::new(BufReader::new(Chunked {
            inner: reader,
            left: 0,
            done: false,
        }))
    } else if let Some(length) = reply.header("content-length").and_then(|v| v.parse().ok()) {
        Box::new(reader.take(length))
    } else {
        Box::new(reader)
    };
    Ok((reply, body))
}

/// A chunked body, unchunked.
struct Chunked<R> {
    inner: R,
    /// Bytes left in the current chunk.
    left: u64,
    done: bool,
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            self.inner.read_line(&mut line)?;
            let size = line.trim().split(';').next().unwrap_or_default();
            self.left = u64::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let wanted = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..wanted])?;
        if read == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "chunk cut short",
            ));
        }
        self.left -= read as u64;
        if self.left == 0 {
            let mut end = String::new();
            self.inner.read_line(&mut end)?;
        }
        Ok(read)
    }
}
