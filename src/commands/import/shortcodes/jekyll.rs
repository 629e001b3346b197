//! Jekyll's Liquid in content: `{% highlight %}`, `{% raw %}`, `{% comment %}`, `{% link %}`,
//! `{% post_url %}` and the site's base URL converted; other tags and outputs listed.

use std::ops::Range;

use super::{Out, RefKind, fenced, find_outside_quotes, next_of};

pub(super) fn convert(
    body: &str,
    out: &mut Out,
    resolve: &dyn Fn(RefKind, &str) -> Option<String>,
) {
    let mut at = 0;
    while let Some(found) = next_of(body, at, &["{%", "{{"]) {
        out.body.push_str(&body[at..found]);
        let is_tag = body[found..].starts_with("{%");
        let closer = if is_tag { "%}" } else { "}}" };
        let Some(end) = find_outside_quotes(&body[found + 2..], closer) else {
            out.body.push_str(&body[found..found + 2]);
            at = found + 2;
            continue;
        };
        let end = found + 2 + end + closer.len();
        let inner = body[found + 2..end - 2].trim_matches(|c: char| c.is_whitespace() || c == '-');
        at = if is_tag {
            jekyll_tag(body, found, end, inner, out, resolve)
        } else {
            jekyll_output(body, found, end, inner, out)
        };
    }
    out.body.push_str(&body[at..]);
}

/// Converts the tag at `start..end`; returns where the scan goes on.
fn jekyll_tag(
    body: &str,
    start: usize,
    end: usize,
    inner: &str,
    out: &mut Out,
    resolve: &dyn Fn(RefKind, &str) -> Option<String>,
) -> usize {
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let args = args.trim();
    let block = |end_name: &str| {
        let close = find_liquid_end(body, end, end_name)?;
        Some((end..close.start, close.end))
    };
    let done = match name {
        "highlight" => block("endhighlight").map(|(code, after)| {
            let lang = args.split_whitespace().next().unwrap_or("");
            out.converted("highlight", &fenced(lang, &body[code]));
            after
        }),
        "raw" => block("endraw").map(|(text, after)| {
            out.converted("raw", &body[text]);
            after
        }),
        "comment" => block("endcomment").map(|(_, after)| {
            out.converted("comment", "");
            after
        }),
        "link" => resolve(RefKind::JekyllLink, args.trim_matches(['"', '\''])).map(|link| {
            out.converted("link", &link);
            end
        }),
        "post_url" => resolve(RefKind::PostUrl, args.trim_matches(['"', '\''])).map(|link| {
            out.converted("post_url", &link);
            end
        }),
        _ => None,
    };
    done.unwrap_or_else(|| {
        // Block ends (`endif`, `endfor`) are reported with the tag that opens them.
        if !name.starts_with("end") && !matches!(name, "else" | "elsif" | "when") {
            out.unknown(start, &body[start..end]);
        }
        out.body.push_str(&body[start..end]);
        end
    })
}

/// `{{ site.baseurl }}` and `{{ "/x" | relative_url }}` become the root-relative paths they
/// stand for (gazette puts the base URL's path in front of root-relative links itself).
fn jekyll_output(body: &str, start: usize, end: usize, inner: &str, out: &mut Out) -> usize {
    let mut parts = inner.split('|').map(str::trim);
    let value = parts.next().unwrap_or("");
    let filters: Vec<&str> = parts.collect();
    let site_root = matches!(value, "site.baseurl" | "site.url" | "site.base_url");
    let quoted = value.len() >= 2
        && (value.starts_with('"') && value.ends_with('"')
            || value.starts_with('\'') && value.ends_with('\''));
    let url_filters = filters
        .iter()
        .all(|f| matches!(*f, "relative_url" | "absolute_url"));
    if site_root && filters.is_empty() {
        out.converted(value, "");
    } else if quoted && !filters.is_empty() && url_filters {
        out.converted(filters[0], &value[1..value.len() - 1]);
    } else {
        out.unknown(start, &body[start..end]);
        out.body.push_str(&body[start..end]);
    }
    end
}

/// The `{% end_name %}` after `from`: its range.
fn find_liquid_end(body: &str, from: usize, end_name: &str) -> Option<Range<usize>> {
    let mut at = from;
    while let Some(found) = body[at..].find("{%").map(|i| i + at) {
        // The closer is looked for after the opener: `{%}` is no tag.
        let close = body[found + 2..].find("%}")? + found + 4;
        let inner =
            body[found + 2..close - 2].trim_matches(|c: char| c.is_whitespace() || c == '-');
        if inner == end_name {
            return Some(found..close);
        }
        at = close;
    }
    None
}
