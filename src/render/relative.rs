//! Built HTML -> the same HTML with its links relative to each page and ending in
//! `index.html`, so that `output/` can be read straight from disk (`file://`), without a
//! server. Canonical, alternate and social-card URLs stay absolute: they must be.

/// Whether the file at `path` gets relative links: HTML pages, but emails (mail clients need
/// absolute URLs) and 404.html (shown for missing pages anywhere in the site).
pub(crate) fn applies_to(path: &str) -> bool {
    path.ends_with(".html") && !path.ends_with("email.html") && path != "404.html"
}

/// `relativize` on a page's bytes (pages are UTF-8; anything else is left as it is).
pub(crate) fn relativize_bytes(html: Vec<u8>, page: &str, base_url: &str) -> Vec<u8> {
    match std::str::from_utf8(&html) {
        Ok(text) => relativize(text, page, base_url).into_bytes(),
        Err(_) => html,
    }
}

/// Every quoted `"BASE/…` in `html` outside `<link rel="canonical|alternate">` and `<meta>`
/// becomes a path relative to `page` (an output path such as `fr/articles/x/index.html`).
pub(crate) fn relativize(html: &str, page: &str, base_url: &str) -> String {
    let needle = format!("\"{base_url}/");
    let depth = page.matches('/').count();
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut consumed = 0;
    while let Some(at) = rest.find(&needle) {
        let absolute_at = consumed + at;
        out.push_str(&rest[..at + 1]);
        let after = &rest[at + needle.len()..];
        let end = after.find(['"', '#', '?']).unwrap_or(after.len());
        let target = &after[..end];
        if must_stay_absolute(&html[..absolute_at]) {
            out.push_str(&needle[1..]);
        } else {
            let file = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target.to_string()
            };
            out.push_str(&up);
            out.push_str(&file);
            rest = &after[end..];
            consumed = html.len() - rest.len();
            continue;
        }
        rest = after;
        consumed = html.len() - rest.len();
    }
    out.push_str(rest);
    out
}

/// Whether the tag that encloses the end of `before` is one whose URLs must be absolute.
fn must_stay_absolute(before: &str) -> bool {
    let Some(open) = before.rfind('<') else {
        return false;
    };
    let tag = &before[open..];
    if tag.contains('>') {
        return false;
    }
    let tag = tag.to_ascii_lowercase();
    tag.starts_with("<meta")
        || (tag.starts_with("<link") && (tag.contains("canonical") || tag.contains("alternate")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://g.example";

    #[test]
    fn links_become_relative_with_index_html() {
        let html = r#"<link rel="canonical" href="https://g.example/fr/a/"><link rel="stylesheet" href="https://g.example/style.css"><a href="https://g.example/en/a/#x">EN</a><a href="https://g.example/">home</a><meta property="og:image" content="https://g.example/i.png"><img src="https://g.example/fr/a/c.svg"><a href="https://other.example/x">x</a>"#;
        let out = relativize(html, "fr/a/index.html", BASE);
        assert_eq!(
            out,
            r#"<link rel="canonical" href="https://g.example/fr/a/"><link rel="stylesheet" href="../../style.css"><a href="../../en/a/index.html#x">EN</a><a href="../../index.html">home</a><meta property="og:image" content="https://g.example/i.png"><img src="../../fr/a/c.svg"><a href="https://other.example/x">x</a>"#
        );
    }

    #[test]
    fn scripts_strings_too() {
        let out = relativize(
            r#"<script>var e = {"fr": "https://g.example/fr/"};</script>"#,
            "index.html",
            BASE,
        );
        assert_eq!(out, r#"<script>var e = {"fr": "fr/index.html"};</script>"#);
    }
}
