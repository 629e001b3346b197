//! Request paths -> the build's file keys (and back, for redirects), and file names -> MIME
//! types. Pure: the traversal guard lives here so that it can be tested alone.

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
pub(crate) fn percent_encode(path: &str) -> String {
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

pub(crate) fn mime_type(key: &str) -> &'static str {
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
}
