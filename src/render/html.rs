//! Small rewrites of finished HTML and XML text that several outputs share: in-page links
//! made absolute for HTML shown away from its page, and text made safe for XML.

/// In-page links (`#note`) made absolute: a feed reader or a list shows the HTML away from
/// its page.
pub(crate) fn absolute_fragments(html: &str, page_url: &str) -> String {
    const LINK: &str = "href=\"#";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(LINK) {
        out.push_str(&rest[..at]);
        out.push_str("href=\"");
        out.push_str(page_url);
        out.push('#');
        rest = &rest[at + LINK.len()..];
    }
    out.push_str(rest);
    out
}

/// Text for XML: characters XML cannot carry dropped, markup characters escaped (the HTML
/// escapes are XML's too).
pub(crate) fn escape_xml(text: &str) -> String {
    crate::markdown::escape_html(&strip_invalid_xml(text.to_string()))
}

/// Characters XML 1.0 allows; anything else (control characters) is dropped.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Removes characters XML cannot carry from a whole document (templates escape markup, but a
/// control character pasted into a title would still make the feed invalid).
pub(crate) fn strip_invalid_xml(text: String) -> String {
    if text.chars().all(is_xml_char) {
        text
    } else {
        text.chars().filter(|c| is_xml_char(*c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_become_absolute() {
        assert_eq!(
            absolute_fragments(
                "<a href=\"#n1\">1</a> <a href=\"x\">",
                "https://g.example/a/"
            ),
            "<a href=\"https://g.example/a/#n1\">1</a> <a href=\"x\">"
        );
    }

    #[test]
    fn control_characters_leave_xml() {
        assert_eq!(escape_xml("a\u{1}<b>\u{b}"), "a&lt;b&gt;");
    }
}
