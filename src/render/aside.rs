//! What the email's CSS inliner need not parse, set aside behind markers and put back after:
//! the inside of each code block (its colours inlined here, from the light theme) and each
//! long run of text in the body. The inliner styles elements; parsing every token of highlighted
//! code and every character of prose costs it more than the styling itself.

use std::sync::Arc;

use crate::markdown;

/// Runs of text shorter than this stay: a marker would save nothing.
const SHORTEST_TEXT: usize = 48;

/// The pieces set aside, in order; the marker names each by its index.
pub struct Aside<'a> {
    marker: String,
    pieces: Vec<Piece<'a>>,
}

enum Piece<'a> {
    /// The inside of a `<code>`, restyled.
    Code(Arc<str>),
    /// Text exactly as the page wrote it.
    Text(&'a str),
}

impl Piece<'_> {
    fn as_str(&self) -> &str {
        match self {
            Piece::Code(code) => code,
            Piece::Text(text) => text,
        }
    }
}

/// Where `needle` first occurs in `haystack` (SIMD search: emails are long).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

/// `html` with code and long text runs replaced by markers, and what they replaced.
///
/// Code blocks are the `<pre class="code"…><code…>` Markdown makes (raw HTML ones stay). Text is
/// set aside only inside `<body>`, outside comments and raw-text elements (`script`, `style`,
/// `textarea`…), never right after a `pre`, `textarea` or `listing` start tag (the parser drops
/// a newline there), and never when it is all whitespace (which the parser treats apart in
/// tables). A marker is text too, so the parser places it where it would have placed the text.
pub fn set_aside(html: &str) -> (String, Aside<'_>) {
    let marker = (0..)
        .map(|n| format!("gazetteaside{n}x"))
        .find(|m| find(html, m).is_none())
        .unwrap_or_default();
    let mut aside = Aside {
        marker,
        pieces: Vec::new(),
    };
    let mut out = String::with_capacity(html.len() / 2);
    let body = find_ignoring_case(html, "<body").unwrap_or(html.len());
    out.push_str(&html[..body]);
    let mut at = body;
    // Where to look for the next tag: after a `<` that starts none (`a <3 b` is text).
    let mut search = body;
    // Whether the text that follows may not be moved (see above).
    let mut pinned = false;
    while at < html.len() {
        let Some(tag) = memchr::memchr(b'<', &html.as_bytes()[search..]).map(|n| search + n) else {
            aside.text(&html[at..], pinned, &mut out);
            break;
        };
        let starts_tag = html
            .as_bytes()
            .get(tag + 1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
        if !starts_tag {
            search = tag + 1;
            continue;
        }
        aside.text(&html[at..tag], pinned, &mut out);
        let rest = &html[tag..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = find(comment, "-->").map_or(rest.len(), |n| 4 + n + 3);
            out.push_str(&rest[..end]);
            at = tag + end;
            search = at;
            continue;
        }
        if rest.starts_with("<pre class=\"code\"") {
            if let Some((start, end)) = code_content(rest) {
                out.push_str(&rest[..start]);
                aside.mark(&mut out);
                aside
                    .pieces
                    .push(Piece::Code(markdown::inline_styled(&rest[start..end])));
                at = tag + end;
                search = at;
                pinned = false;
                continue;
            }
        }
        let end = tag_end(rest);
        out.push_str(&rest[..end]);
        at = tag + end;
        let name = tag_name(&rest[..end]);
        pinned = ["pre", "textarea", "listing"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n));
        const RAW_TEXT: [&str; 10] = [
            "script",
            "style",
            "textarea",
            "title",
            "xmp",
            "iframe",
            "noembed",
            "noframes",
            "noscript",
            "plaintext",
        ];
        if RAW_TEXT.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            let close = format!("</{}", name.to_ascii_lowercase());
            let end = find_ignoring_case(&html[at..], &close).map_or(html.len(), |n| at + n);
            out.push_str(&html[at..end]);
            at = end;
        }
        search = at;
    }
    (out, aside)
}

impl<'a> Aside<'a> {
    fn mark(&self, out: &mut String) {
        use std::fmt::Write;
        out.push_str(&self.marker);
        // Writing to a String cannot fail.
        let _ = write!(out, "{}.", self.pieces.len());
    }

    fn text(&mut self, text: &'a str, pinned: bool, out: &mut String) {
        if pinned || text.len() < SHORTEST_TEXT || text.bytes().all(|b| b.is_ascii_whitespace()) {
            out.push_str(text);
        } else {
            self.mark(out);
            self.pieces.push(Piece::Text(text));
        }
    }

    /// The inlined email with every piece back in place, if every marker came out of the
    /// inliner once and in order (the page's own text could spell one once entities are decoded).
    pub fn put_back(&self, html: &str) -> Option<String> {
        let total: usize = self.pieces.iter().map(|p| p.as_str().len()).sum();
        let mut out = String::with_capacity(html.len() + total);
        let mut rest = html;
        let mut next = 0;
        let marker = memchr::memmem::Finder::new(&self.marker);
        while let Some(at) = marker.find(rest.as_bytes()) {
            out.push_str(&rest[..at]);
            let after = &rest[at + self.marker.len()..];
            let digits = after.find('.')?;
            if after[..digits].parse::<usize>().ok()? != next {
                return None;
            }
            out.push_str(self.pieces.get(next)?.as_str());
            next += 1;
            rest = &after[digits + 1..];
        }
        out.push_str(rest);
        (next == self.pieces.len()).then_some(out)
    }
}

/// Where the inside of the `<code>` of the `<pre>` that `html` starts with begins and ends.
fn code_content(html: &str) -> Option<(usize, usize)> {
    let pre_end = html.find('>')?;
    let after_pre = &html[pre_end + 1..];
    if !after_pre.starts_with("<code") {
        return None;
    }
    let start = pre_end + 1 + after_pre.find('>')? + 1;
    let end = start + find(&html[start..], "</code></pre>")?;
    Some((start, end))
}

/// Just past the `>` that ends the tag `html` starts with: quoted attribute values (a quote
/// right after `=`) may hold `>`.
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    let mut after_equals = false;
    for (at, b) in html.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'>') => return at + 1,
            (None, b'=') => after_equals = true,
            (None, b'"' | b'\'') if after_equals => {
                quote = Some(b);
                after_equals = false;
            }
            (None, b) if b.is_ascii_whitespace() => {}
            (None, _) => after_equals = false,
        }
    }
    html.len()
}

/// The element name of a start tag (`<pre class=…>` -> `pre`); empty for end tags and others.
fn tag_name(tag: &str) -> &str {
    let name = &tag[1..];
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    &name[..end]
}

/// Where ASCII `needle` (lower case) first occurs in `haystack`, in any case.
pub fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(n) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..]) {
        let at = from + n;
        let end = at + 1 + rest.len();
        if end > hay.len() {
            return None;
        }
        if hay[at + 1..end].eq_ignore_ascii_case(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_set_aside_and_put_back_in_order() {
        let html = "<body><p>gazetteaside0x</p><pre class=\"code\"><b>raw</b></pre>\
                    <pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">\
                    <span class=\"hl-keyword hl-rust\">fn</span> f</code></pre>";
        let (aside, pieces) = set_aside(html);
        assert_eq!(
            pieces.marker, "gazetteaside1x",
            "a marker the page does not hold"
        );
        assert_eq!(pieces.pieces.len(), 1, "the raw pre is left alone");
        assert!(aside.contains("<b>raw</b>"));
        assert!(!aside.contains("hl-keyword"));
        let back = pieces.put_back(&aside).expect("one marker, in order");
        assert!(back.contains("<span style=\"color:#"), "{back}");
        assert!(back.contains("</span> f</code></pre>"), "{back}");
        // A marker spelled by the page itself (after the inliner decoded an entity).
        let doubled = format!("{aside}<p title=\"gazetteaside1x0.\"></p>");
        assert_eq!(pieces.put_back(&doubled), None);
        let lost = aside.replace("gazetteaside1x0.", "");
        assert_eq!(pieces.put_back(&lost), None);
    }

    #[test]
    fn long_body_text_is_set_aside_where_the_parser_would_keep_it() {
        let long = "A long run of text, with &amp; entities &#8239;: more than the marker.";
        let html = format!(
            "<html><head><title>{long}</title><style>p {{ color: red }} /* {long} */</style>\
             </head><body><p>{long}</p><p>short</p><!-- {long} --><pre>\n{long}</pre>\
             <script>var s = \"{long}\";</script><table>\n      \n<tr><td a='>{long}'>{long}</td></tr></table>\
             <TEXTAREA>{long}</textarea></body></html>"
        );
        let (aside, pieces) = set_aside(&html);
        let texts: Vec<&str> = pieces.pieces.iter().map(Piece::as_str).collect();
        assert_eq!(texts, [long, long], "the paragraph's and the cell's");
        assert!(aside.contains("<p>gazetteaside0x0.</p>"), "{aside}");
        assert!(aside.contains("'>gazetteaside0x1.</td>"), "{aside}");
        for kept in [
            format!("<title>{long}</title>"),
            format!("/* {long} */"),
            format!("<!-- {long} -->"),
            format!("<pre>\n{long}</pre>"),
            format!("\"{long}\";</script>"),
            format!("<td a='>{long}'>"),
            format!("<TEXTAREA>{long}</textarea>"),
            "<table>\n      \n<tr>".to_string(),
        ] {
            assert!(aside.contains(&kept), "{kept} kept in {aside}");
        }
        assert_eq!(pieces.put_back(&aside).as_deref(), Some(html.as_str()));
    }

    #[test]
    fn a_lone_angle_bracket_or_apostrophe_does_not_derail_the_scan() {
        let long = "A long run of text that is well over the length of a marker, twice.";
        let html = format!(
            "<body><p>{long} I <3 it</p><a title=it's>{long}</a><p class=\"x>y\">{long}</p></body>"
        );
        let (aside, pieces) = set_aside(&html);
        let texts: Vec<&str> = pieces.pieces.iter().map(Piece::as_str).collect();
        assert_eq!(
            texts,
            [format!("{long} I <3 it").as_str(), long, long],
            "{aside}"
        );
        assert!(
            aside.contains("<a title=it's>gazetteaside0x1.</a>"),
            "{aside}"
        );
        assert_eq!(pieces.put_back(&aside).as_deref(), Some(html.as_str()));
    }

    #[test]
    fn case_is_ignored_when_finding_tags() {
        assert_eq!(find_ignoring_case("ab<SCRipt>", "<script"), Some(2));
        assert_eq!(find_ignoring_case("<scrip", "<script"), None);
        assert_eq!(find_ignoring_case("<body", "<body"), Some(0));
    }
}
