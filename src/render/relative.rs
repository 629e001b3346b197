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
    // The second and later candidates of a `srcset`.
    let listed = format!(", {base_url}/");
    let depth = page.matches('/').count();
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut consumed = 0;
    loop {
        let (at, lead) = match (rest.find(&needle), rest.find(&listed)) {
            (Some(q), Some(l)) if l < q => (l, 2),
            (Some(q), _) => (q, 1),
            (None, Some(l)) => (l, 2),
            (None, None) => break,
        };
        let absolute_at = consumed + at;
        if lead == 2 && !inside_srcset(&html[..absolute_at]) {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            consumed = html.len() - rest.len();
            continue;
        }
        out.push_str(&rest[..at + lead]);
        let after = &rest[at + lead + base_url.len() + 1..];
        let end = after
            .find(['"', '#', '?', ' ', '\n'])
            .unwrap_or(after.len());
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

/// Whether the end of `before` is inside a `srcset` attribute's value.
fn inside_srcset(before: &str) -> bool {
    let Some(open) = before.rfind('<') else {
        return false;
    };
    let tag = &before[open..];
    !tag.contains('>')
        && tag
            .rfind("srcset=\"")
            .is_some_and(|at| !tag[at + 8..].contains('"'))
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
    #[test]
    fn every_candidate_of_a_srcset_becomes_relative() {
        let html = r#"<img src="https://g.example/fr/a/p.1200w.jpg" srcset="https://g.example/fr/a/p.480w.jpg 480w, https://g.example/fr/a/p.1200w.jpg 1200w"><p>a, https://g.example/x stays</p>"#;
        assert_eq!(
            super::relativize(html, "fr/a/index.html", "https://g.example"),
            r#"<img src="../../fr/a/p.1200w.jpg" srcset="../../fr/a/p.480w.jpg 480w, ../../fr/a/p.1200w.jpg 1200w"><p>a, https://g.example/x stays</p>"#
        );
    }

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
