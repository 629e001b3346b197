//! A page body -> the same body with some link targets replaced: Markdown links, images and
//! reference definitions, and `href`/`src` in raw HTML. The importer uses it to make links
//! that were relative to the old URL absolute (the page moves), and to follow `@/` paths to
//! where files went.

use std::ops::Range;

/// Replaces every link target for which `rewrite` gives a new one; returns the new body and
/// how many targets changed. Text that is not a link target is never touched.
pub(crate) fn rewrite(body: &str, rewrite: &dyn Fn(&str) -> Option<String>) -> (String, usize) {
    let mut edits: Vec<(Range<usize>, String)> = targets(body)
        .into_iter()
        .filter_map(|range| Some((range.clone(), rewrite(&body[range])?)))
        .filter(|(range, new)| body[range.clone()] != **new)
        .collect();
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    let mut changed = 0;
    for (range, new) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&body[at..range.start]);
        out.push_str(&new);
        at = range.end;
        changed += 1;
    }
    out.push_str(&body[at..]);
    (out, changed)
}

/// Every link target written in `body`, as written.
pub(crate) fn targets_in(body: &str) -> Vec<String> {
    targets(body)
        .into_iter()
        .filter_map(|range| body.get(range).map(String::from))
        .collect()
}

/// The byte ranges of every link target written in `body`.
fn targets(body: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES);
    let mut found = Vec::new();
    let mut iter = parser.into_offset_iter();
    for (event, range) in iter.by_ref() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                found.extend(inline_target(body, range, &dest_url));
            }
            Event::Html(_) | Event::InlineHtml(_) => found.extend(html_targets(body, range)),
            _ => {}
        }
    }
    for (_, def) in iter.reference_definitions().iter() {
        let span = def.span.clone();
        if let Some(at) = body
            .get(span.clone())
            .and_then(|t| t.find(def.dest.as_ref()))
        {
            found.push(span.start + at..span.start + at + def.dest.len());
        }
    }
    found
}

/// `[text](dest "title")`: where `dest` is written (not found when it has escapes, which
/// the importer then leaves as they are).
fn inline_target(body: &str, range: Range<usize>, dest: &str) -> Option<Range<usize>> {
    if dest.is_empty() {
        return None;
    }
    let text = body.get(range.clone())?;
    let open = text.rfind("](")? + 2;
    let after = &text[open..];
    let skip = after.len() - after.trim_start().len();
    let after = after.trim_start();
    let offset = if after.starts_with('<') { 1 } else { 0 };
    after[offset..].starts_with(dest).then(|| {
        let start = range.start + open + skip + offset;
        start..start + dest.len()
    })
}

/// The values of `href` and `src` attributes in a piece of raw HTML.
fn html_targets(body: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(text) = body.get(range.clone()) else {
        return Vec::new();
    };
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for name in ["href=", "src="] {
        let mut at = 0;
        while let Some(i) = lower[at..].find(name).map(|i| i + at) {
            at = i + name.len();
            let before = lower[..i].chars().next_back();
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let quote = text[at..].chars().next();
            let (start, end) = match quote {
                Some(q @ ('"' | '\'')) => match text[at + 1..].find(q) {
                    Some(len) => (at + 1, at + 1 + len),
                    None => continue,
                },
                _ => {
                    let len = text[at..]
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(text.len() - at);
                    (at, at + len)
                }
            };
            if end > start {
                found.push(range.start + start..range.start + end);
            }
        }
    }
    found
}

/// Whether `target` is relative to the page it is written in (not `/x`, `#x`, `@/x`, nor a
/// URL with a scheme).
pub(crate) fn is_page_relative(target: &str) -> bool {
    let scheme = target
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    !(target.is_empty() || target.starts_with(['/', '#', '@', '{', '%']) || scheme)
}

/// `../x/./y` against the folder `/a/b/` -> `/a/x/y`.
pub(crate) fn resolve(folder: &str, target: &str) -> Option<String> {
    let mut segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let (path, rest) = match target.find(['?', '#']) {
        Some(at) => target.split_at(at),
        None => (target, ""),
    };
    for part in path.split('/') {
        match part {
            "." | "" => {}
            // Above the root is the root, as browsers read it (RFC 3986, 5.2.4).
            ".." => {
                segments.pop();
            }
            part => segments.push(part),
        }
    }
    let last = path.rsplit('/').next().unwrap_or("");
    let trailing = if matches!(last, "" | "." | "..") {
        "/"
    } else {
        ""
    };
    let joined = segments.join("/");
    let sep = if joined.is_empty() { "" } else { trailing };
    Some(format!("/{joined}{sep}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_every_kind_of_target_and_nothing_else() {
        let body = "See [a](img.png \"T\") and ![b](<img.png>) and [c][r] and `[x](img.png)`.\n\n\
                    <img alt=x src=\"img.png\"> <a href='img.png'>d</a>\n\n[r]: img.png\n\n\
                    ```\n[y](img.png)\n```\n";
        let (out, n) = rewrite(body, &|t| (t == "img.png").then(|| "/new.png".to_string()));
        assert_eq!(n, 5, "{out}");
        assert!(out.contains("[a](/new.png \"T\")"));
        assert!(out.contains("![b](</new.png>)"));
        assert!(out.contains("src=\"/new.png\""));
        assert!(out.contains("href='/new.png'"));
        assert!(out.contains("[r]: /new.png"));
        assert!(out.contains("`[x](img.png)`") && out.contains("[y](img.png)"));
    }

    #[test]
    fn relative_resolution() {
        assert_eq!(
            resolve("/2018/07/26/", "../../../files/a.pdf").as_deref(),
            Some("/files/a.pdf")
        );
        assert_eq!(resolve("/a/b/", "./c/#x").as_deref(), Some("/a/b/c/#x"));
        assert_eq!(resolve("/a/", "..").as_deref(), Some("/"));
        assert_eq!(resolve("/", "../../x").as_deref(), Some("/x"));
        assert!(is_page_relative("img/a.png") && is_page_relative("../x"));
        for absolute in ["/x", "#x", "@/x.md", "https://x", "mailto:a@b", "{{ x }}"] {
            assert!(!is_page_relative(absolute), "{absolute}");
        }
    }
}
