//! Hugo's shortcodes: `{{< name args >}}`, `{{% name args %}}`, paired with `{{< /name >}}`,
//! escaped as `{{</* … */>}}`; the built-in ones converted.

use std::ops::Range;

use super::{
    Out, RefKind, fenced, figure, find_outside_quotes, gist_link, next_of, split_args, video,
};

pub(super) fn convert(
    body: &str,
    out: &mut Out,
    resolve: &dyn Fn(RefKind, &str) -> Option<String>,
) {
    let mut at = 0;
    while let Some(found) = next_of(body, at, &["{{<", "{{%"]) {
        out.body.push_str(&body[at..found]);
        let percent = body[found..].starts_with("{{%");
        let closer = if percent { "%}}" } else { ">}}" };
        let Some(tag) = hugo_tag(body, found, closer) else {
            out.unknown(found, &body[found..]);
            out.body.push_str(&body[found..found + 3]);
            at = found + 3;
            continue;
        };
        at = tag.end;
        if let Some(inner) = tag.escaped {
            // `{{</* x */>}}` shows the shortcode itself.
            let open = if percent { "{{%" } else { "{{<" };
            out.body.push_str(&format!("{open}{inner}{closer}"));
            continue;
        }
        if tag.closing {
            out.body.push_str(&body[found..tag.end]);
            continue;
        }
        let inner = paired_body(body, tag.end, &tag.name, percent);
        match hugo_builtin(&tag, inner.as_ref().map(|r| &body[r.clone()]), resolve) {
            Some(html) => {
                out.converted(&tag.name, &html);
                if let (Some(range), true) = (&inner, tag.name == "highlight") {
                    at = closing_end(body, range.end, closer);
                }
            }
            None => {
                out.unknown(found, &body[found..tag.end]);
                out.body.push_str(&body[found..tag.end]);
            }
        }
    }
    out.body.push_str(&body[at..]);
}

/// One Hugo shortcode tag as written.
#[derive(Debug)]
struct HugoTag {
    name: String,
    closing: bool,
    /// `{{</* … */>}}`: the text between the comment marks.
    escaped: Option<String>,
    /// Positional and named arguments, in order.
    args: Vec<(Option<String>, String)>,
    end: usize,
}

fn hugo_tag(body: &str, start: usize, closer: &str) -> Option<HugoTag> {
    let inside_start = start + 3;
    let rest = &body[inside_start..];
    let trimmed = rest.trim_start();
    if let Some(comment) = trimmed.strip_prefix("/*") {
        let end = comment.find(&format!("*/{closer}"))?;
        let skipped = rest.len() - comment.len();
        return Some(HugoTag {
            name: String::new(),
            closing: false,
            escaped: Some(comment[..end].to_string()),
            args: Vec::new(),
            end: inside_start + skipped + end + 2 + closer.len(),
        });
    }
    let end = find_outside_quotes(rest, closer)?;
    let inner = rest[..end].trim().trim_end_matches('/').trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(name) => (true, name.trim()),
        None => (false, inner),
    };
    let mut words = split_args(inner).into_iter();
    let name = words.next().map(|(_, n)| n).filter(|n| !n.is_empty())?;
    Some(HugoTag {
        name,
        closing,
        escaped: None,
        args: words.collect(),
        end: inside_start + end + closer.len(),
    })
}

/// The body of a paired shortcode: from `from` to its `{{< /name >}}`, if there is one.
fn paired_body(body: &str, from: usize, name: &str, percent: bool) -> Option<Range<usize>> {
    let (open, close) = if percent {
        ("{{%", "%}}")
    } else {
        ("{{<", ">}}")
    };
    let mut at = from;
    while let Some(found) = body[at..].find(open).map(|i| i + at) {
        let rest = body[found + 3..].trim_start();
        if let Some(after) = rest.strip_prefix('/')
            && after.trim_start().starts_with(name)
            && after.trim_start()[name.len()..]
                .trim_start()
                .starts_with(close)
        {
            return Some(from..found);
        }
        at = found + 3;
    }
    None
}

/// The end of the closing tag that starts at `from`.
fn closing_end(body: &str, from: usize, closer: &str) -> usize {
    body[from..]
        .find(closer)
        .map_or(body.len(), |i| from + i + closer.len())
}

fn hugo_builtin(
    tag: &HugoTag,
    inner: Option<&str>,
    resolve: &dyn Fn(RefKind, &str) -> Option<String>,
) -> Option<String> {
    let named = |key: &str| {
        tag.args
            .iter()
            .find(|(k, _)| k.as_deref() == Some(key))
            .map(|(_, v)| v.as_str())
    };
    let positional = |n: usize| {
        tag.args
            .iter()
            .filter(|(k, _)| k.is_none())
            .nth(n)
            .map(|(_, v)| v.as_str())
    };
    match tag.name.as_str() {
        "figure" => Some(figure(
            named("src")?,
            named("alt").or(named("title")).unwrap_or(""),
            named("link"),
            [named("title"), named("caption")],
        )),
        "youtube" => Some(video(
            &format!(
                "https://www.youtube-nocookie.com/embed/{}",
                named("id").or(positional(0))?
            ),
            named("title").unwrap_or("YouTube video"),
        )),
        "vimeo" => Some(video(
            &format!(
                "https://player.vimeo.com/video/{}",
                named("id").or(positional(0))?
            ),
            named("title").unwrap_or("Vimeo video"),
        )),
        "highlight" => Some(fenced(positional(0).unwrap_or(""), inner?)),
        "ref" | "relref" => resolve(RefKind::Hugo, named("path").or(positional(0))?),
        "gist" => {
            let (user, id) = (positional(0)?, positional(1)?);
            Some(gist_link(
                &format!("https://gist.github.com/{user}/{id}"),
                positional(2),
            ))
        }
        "tweet" | "twitter" | "x" => {
            let id = named("id").or(positional(1)).or(positional(0))?;
            let user = named("user").or(positional(0).filter(|_| positional(1).is_some()));
            let user = user.unwrap_or("i/web");
            Some(format!(
                "[{user}/status/{id}](https://twitter.com/{user}/status/{id})"
            ))
        }
        _ => None,
    }
}
