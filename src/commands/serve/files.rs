//! A static file on disk -> a response that streams it: the whole file, or the one byte
//! range asked for (video players and download managers ask for ranges).

use std::io::{Seek, SeekFrom};
use std::ops::RangeInclusive;
use std::path::Path;

use http_range_header::RangeUnsatisfiableError;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

use super::body::Body;

/// What the request asks of a file besides its path.
pub(crate) struct Wanted<'a> {
    /// The `Range` header, unless an `If-Range` came with it: this server gives no validators,
    /// so no `If-Range` can match and the whole file is the answer.
    pub range: Option<&'a str>,
    pub head: bool,
}

/// Which bytes to send of a file of `length` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Part {
    Whole,
    Range(RangeInclusive<u64>),
    Unsatisfiable,
}

/// The file at `path`, opened now and read as it is sent. `status` is 200 for the file
/// asked for, 404 for a `404.html`: ranges are only honoured for the former.
pub(crate) fn respond(
    path: &Path,
    mime: &'static str,
    status: StatusCode,
    wanted: &Wanted,
) -> std::io::Result<Response<Body>> {
    let mut file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    let part = match wanted.range {
        Some(range) if status == StatusCode::OK => part(range, length),
        _ => Part::Whole,
    };
    let (status, start, count, content_range) = match part {
        Part::Whole => (status, 0, length, None),
        Part::Range(range) => {
            let (start, end) = range.into_inner();
            let content_range = format!("bytes {start}-{end}/{length}");
            (
                StatusCode::PARTIAL_CONTENT,
                start,
                end - start + 1,
                Some(content_range),
            )
        }
        Part::Unsatisfiable => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
            let value = HeaderValue::from_str(&format!("bytes */{length}"));
            let headers = response.headers_mut();
            if let Ok(value) = value {
                headers.insert(header::CONTENT_RANGE, value);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return Ok(response);
        }
    };
    let body = if wanted.head {
        Body::empty()
    } else {
        file.seek(SeekFrom::Start(start))?;
        Body::file(file, count)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(Ok(value)) = content_range.map(HeaderValue::try_from) {
        headers.insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}

/// A `Range` header read against a file of `length` bytes. Several ranges get the whole file
/// (allowed, and simpler than a multipart answer); so does a header this server cannot read.
fn part(header: &str, length: u64) -> Part {
    let ranges = http_range_header::parse_range_header(header).and_then(|r| r.validate(length));
    match ranges {
        Ok(ranges) => match <[_; 1]>::try_from(ranges) {
            Ok([range]) => Part::Range(range),
            Err(_) => Part::Whole,
        },
        Err(RangeUnsatisfiableError::Unsatisfiable) => Part::Unsatisfiable,
        Err(_) => Part::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(part("bytes=0-9", 100), Part::Range(0..=9));
        assert_eq!(part("bytes=90-", 100), Part::Range(90..=99));
        assert_eq!(part("bytes=-10", 100), Part::Range(90..=99));
        assert_eq!(part("bytes=-1000", 100), Part::Range(0..=99));
        assert_eq!(part("bytes=50-1000", 100), Part::Range(50..=99));
        assert_eq!(part("bytes=100-", 100), Part::Unsatisfiable);
        assert_eq!(part("bytes=100-200", 100), Part::Unsatisfiable);
        assert_eq!(part("bytes=-0", 100), Part::Unsatisfiable);
        assert_eq!(part("bytes=0-1,5-6", 100), Part::Whole, "several ranges");
        assert_eq!(part("bytes=9-1", 100), Part::Whole, "reversed: unreadable");
        assert_eq!(part("items=0-1", 100), Part::Whole, "another unit");
        assert_eq!(part("bytes=x-y", 100), Part::Whole);
        assert_eq!(part("bytes=0-", 0), Part::Unsatisfiable);
    }
}
