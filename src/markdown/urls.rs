//! Link and image destinations written in Markdown -> absolute URLs, so that a page's HTML
//! stays right wherever it is shown: its own page, a list's summary, a feed, an email.

/// True for `https:`, `mailto:`, `//host`…: left as written.
pub(crate) fn has_scheme(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The scheme of a URL that would run code or smuggle a document in (`javascript:`,
/// `vbscript:`, `data:`), as browsers read it: ignoring case, and the spaces and control
/// characters they skip.
pub(crate) fn script_scheme(dest: &str) -> Option<&'static str> {
    let compact: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(12)
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|scheme| compact.starts_with(&format!("{scheme}:")))
}

/// Makes `dest` absolute: root-relative against `base_url`, relative against `page_url`
/// (which ends with `/`). Fragments alone (`#x`) and URLs with a scheme are kept.
pub(crate) fn absolutize(dest: &str, page_url: &str, base_url: &str) -> String {
    if dest.is_empty() || dest.starts_with('#') || has_scheme(dest) {
        return dest.to_string();
    }
    if let Some(rest) = dest.strip_prefix('/') {
        return format!("{base_url}/{rest}");
    }
    join(page_url, dest)
}

/// Resolves a relative reference against an absolute URL, as RFC 3986 (5.2) does: a query
/// or fragment alone keeps the base's path; `.` and `..` are folded (never above the host),
/// and a reference ending in one of them names a folder (`..` -> `…/articles/`).
pub(crate) fn join(base: &str, relative: &str) -> String {
    let (origin, base_path) = split_origin(base);
    let (rel_path, suffix) = match relative.find(['?', '#']) {
        Some(i) => relative.split_at(i),
        None => (relative, ""),
    };
    if rel_path.is_empty() {
        let base_path = base_path.split(['?', '#']).next().unwrap_or(base_path);
        return format!("{origin}{base_path}{suffix}");
    }
    let mut segments: Vec<&str> = base_path.split('/').filter(|s| !s.is_empty()).collect();
    if !base_path.ends_with('/') {
        segments.pop();
    }
    let parts: Vec<&str> = rel_path.split('/').collect();
    for part in &parts {
        match *part {
            "." => {}
            ".." => {
                segments.pop();
            }
            "" => {}
            other => segments.push(other),
        }
    }
    let last = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let trailing = if rel_path.ends_with('/') || last == "." || last == ".." {
        "/"
    } else {
        ""
    };
    let path = segments.join("/");
    let sep = if path.is_empty() { "" } else { "/" };
    format!("{origin}{sep}{path}{trailing}{suffix}")
}

fn split_origin(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url.split_at(after_scheme + i),
        None => (url, "/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://g.example/news/fr/articles/x/";

    #[test]
    fn relative_links_become_absolute() {
        assert_eq!(
            absolutize("chart.svg", PAGE, "https://g.example/news"),
            "https://g.example/news/fr/articles/x/chart.svg"
        );
        assert_eq!(
            absolutize("../y/", PAGE, "https://g.example/news"),
            "https://g.example/news/fr/articles/y/"
        );
        assert_eq!(
            absolutize("/fr/about/", PAGE, "https://g.example/news"),
            "https://g.example/news/fr/about/"
        );
        assert_eq!(
            absolutize("../../../../../../etc", PAGE, "https://g.example"),
            "https://g.example/etc"
        );
        assert_eq!(
            absolutize("img.png?v=1#a", PAGE, "https://g.example"),
            "https://g.example/news/fr/articles/x/img.png?v=1#a"
        );
    }

    #[test]
    fn references_resolve_as_rfc_3986_says() {
        let base = "https://g.example/en/articles/x/";
        for (reference, expected) in [
            ("?ref=1", "https://g.example/en/articles/x/?ref=1"),
            (".", "https://g.example/en/articles/x/"),
            ("..", "https://g.example/en/articles/"),
            ("./", "https://g.example/en/articles/x/"),
            ("../", "https://g.example/en/articles/"),
            ("../y", "https://g.example/en/articles/y"),
            ("../..?a=b#c", "https://g.example/en/?a=b#c"),
            ("a/./b/../c", "https://g.example/en/articles/x/a/c"),
        ] {
            assert_eq!(join(base, reference), expected, "{reference}");
        }
    }

    #[test]
    fn kept_as_written() {
        for dest in [
            "https://x.io/a",
            "mailto:a@b.c",
            "#notes",
            "//cdn.example/x",
            "",
        ] {
            assert_eq!(absolutize(dest, PAGE, "https://g.example"), dest);
        }
    }
}
