//! pulldown-cmark's events as the renderer reads them: consecutive text joined (so that a
//! typography rule sees the character after a space), but a backslash-escaped character kept
//! apart and marked, so that `\'` stays a straight quote; control characters left out (HTML
//! and XML forbid them); and the tags a fragment of raw HTML opens and closes.

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

/// Events with their source range, and whether a text is an escaped character.
pub(super) struct Merged<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: Peekable<I>,
    source: &'a str,
    /// The text after an escaped character, still to be given.
    rest: Option<(CowStr<'a>, Range<usize>)>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Merged<'a, I> {
    pub(super) fn new(inner: I, source: &'a str) -> Self {
        Merged {
            inner: inner.peekable(),
            source,
            rest: None,
        }
    }

    /// The next text, and those right after it that start with no escaped character.
    fn join(&mut self, first: CowStr<'a>, range: Range<usize>) -> (Event<'a>, Range<usize>) {
        let mut text: Option<String> = None;
        let mut end = range.end;
        while let Some((Event::Text(_), next)) = self.inner.peek() {
            if escaped_at(self.source, next.start) {
                break;
            }
            let Some((Event::Text(more), next)) = self.inner.next() else {
                break;
            };
            text.get_or_insert_with(|| first.to_string())
                .push_str(&more);
            end = next.end;
        }
        let text = text.map_or(first, CowStr::from);
        (Event::Text(text), range.start..end)
    }
}

/// Whether the character at `at` in `source` follows an escaping backslash (pulldown-cmark
/// starts a text event after the backslash, at the character it escapes).
fn escaped_at(source: &str, at: usize) -> bool {
    let backslashes = source.as_bytes()[..at.min(source.len())]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 1
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Merged<'a, I> {
    type Item = (Event<'a>, Range<usize>, bool);

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
            .map(|(event, range, escaped)| (without_controls(event), range, escaped))
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Merged<'a, I> {
    fn next_event(&mut self) -> Option<(Event<'a>, Range<usize>, bool)> {
        if let Some((rest, range)) = self.rest.take() {
            let (event, range) = self.join(rest, range);
            return Some((event, range, false));
        }
        let (event, range) = self.inner.next()?;
        let Event::Text(text) = event else {
            return Some((event, range, false));
        };
        if escaped_at(self.source, range.start) && !text.is_empty() {
            let first = text.chars().next().map_or(0, char::len_utf8);
            let split = range.start + first;
            if first < text.len() {
                self.rest = Some((text[first..].to_string().into(), split..range.end));
            }
            let escaped = text[..first].to_string().into();
            return Some((Event::Text(escaped), range.start..split, true));
        }
        let (event, range) = self.join(text, range);
        Some((event, range, false))
    }
}

/// Characters no HTML or XML document may hold: the C0 controls but tab and line ends, and
/// the C1 controls.
fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `text` with forbidden characters left out.
fn clean(text: CowStr<'_>) -> CowStr<'_> {
    if text.chars().any(is_forbidden) {
        text.chars()
            .filter(|&c| !is_forbidden(c))
            .collect::<String>()
            .into()
    } else {
        text
    }
}

/// The event with forbidden characters left out of its text.
fn without_controls(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Text(text) => Event::Text(clean(text)),
        Event::Code(text) => Event::Code(clean(text)),
        Event::Html(text) => Event::Html(clean(text)),
        Event::InlineHtml(text) => Event::InlineHtml(clean(text)),
        other => other,
    }
}

/// The tags of a fragment of raw HTML, in order: (lowercase name, is an end tag, closes
/// itself). Comments and declarations are not tags.
pub(super) fn raw_tags(html: &str) -> impl Iterator<Item = (String, bool, bool)> + '_ {
    html.split('<').skip(1).filter_map(|piece| {
        let (closing, rest) = match piece.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, piece),
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        let self_closing = rest.split('>').next().is_some_and(|tag| tag.ends_with('/'));
        (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic())).then_some((
            name,
            closing,
            self_closing,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn texts(source: &str) -> Vec<(String, bool)> {
        Merged::new(Parser::new(source).into_offset_iter(), source)
            .filter_map(|(event, _, escaped)| match event {
                Event::Text(t) => Some((t.to_string(), escaped)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn text_is_joined_but_escapes_stay_apart() {
        assert_eq!(texts("l'a [b"), [("l'a [b".to_string(), false)]);
        assert_eq!(
            texts("don\\'t"),
            [
                ("don".to_string(), false),
                ("'".to_string(), true),
                ("t".to_string(), false)
            ]
        );
    }

    #[test]
    fn tags_of_raw_html() {
        let tags: Vec<_> = raw_tags("<code class=x>a</code><br/><!-- c --><x-y>").collect();
        assert_eq!(
            tags,
            [
                ("code".to_string(), false, false),
                ("code".to_string(), true, false),
                ("br".to_string(), false, true),
                ("x-y".to_string(), false, false),
            ]
        );
    }
}
