//! Zola's shortcodes: `{{ name(args) }}` and `{% name(args) %}…{% end %}`, escaped as
//! `{{/* … */}}`, never run inside code; the common ones (youtube, vimeo, gist, streamable)
//! converted.

use super::{Out, code_ranges, find_outside_quotes, gist_link, next_of, split_args, video};

pub(super) fn convert(body: &str, out: &mut Out) {
    let code = code_ranges(body);
    let mut at = 0;
    while let Some(found) = next_of(body, at, &["{{", "{%"]) {
        out.body.push_str(&body[at..found]);
        let inline = body[found..].starts_with("{{");
        let closer = if inline { "}}" } else { "%}" };
        if code.iter().any(|r| r.contains(&found)) {
            out.body.push_str(&body[found..found + 2]);
            at = found + 2;
            continue;
        }
        let rest = &body[found + 2..];
        if let Some(comment) = rest.strip_prefix("/*")
            && let Some(end) = comment.find(&format!("*/{closer}"))
        {
            let open = &body[found..found + 2];
            out.body
                .push_str(&format!("{open}{}{closer}", &comment[..end]));
            at = found + 2 + 2 + end + 2 + closer.len();
            continue;
        }
        let Some(call) = zola_call(rest, closer) else {
            out.body.push_str(&body[found..found + 2]);
            at = found + 2;
            continue;
        };
        let end = found + 2 + call.len;
        match zola_builtin(&call) {
            Some(html) if inline => out.converted(&call.name, &html),
            _ => {
                out.unknown(found, &body[found..end]);
                out.body.push_str(&body[found..end]);
            }
        }
        at = end;
    }
    out.body.push_str(&body[at..]);
}

/// A Zola shortcode call: `name(key=value, …)` up to its closer.
struct ZolaCall {
    name: String,
    args: Vec<(Option<String>, String)>,
    /// Bytes from after the opener to after the closer.
    len: usize,
}

fn zola_call(rest: &str, closer: &str) -> Option<ZolaCall> {
    let end = find_outside_quotes(rest, closer)?;
    let inner = rest[..end].trim();
    let (name, args) = inner.split_once('(')?;
    let name = name.trim();
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let args = args.trim_end().strip_suffix(')')?;
    valid.then(|| ZolaCall {
        name: name.to_string(),
        args: split_args(&args.replace(',', " ")),
        len: end + closer.len(),
    })
}

fn zola_builtin(call: &ZolaCall) -> Option<String> {
    let named = |key: &str| {
        call.args
            .iter()
            .find(|(k, _)| k.as_deref() == Some(key))
            .map(|(_, v)| v.as_str())
    };
    match call.name.as_str() {
        "youtube" => Some(video(
            &format!("https://www.youtube-nocookie.com/embed/{}", named("id")?),
            "YouTube video",
        )),
        "vimeo" => Some(video(
            &format!("https://player.vimeo.com/video/{}", named("id")?),
            "Vimeo video",
        )),
        "streamable" => Some(video(
            &format!("https://streamable.com/e/{}", named("id")?),
            "Streamable video",
        )),
        "gist" => Some(gist_link(named("url")?, named("file"))),
        _ => None,
    }
}
