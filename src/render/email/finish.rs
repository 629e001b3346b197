//! The rendered `email.html` -> ready for mail clients: every CSS rule moved into `style`
//! attributes (css-inline; `@media` rules stay in a `<style>`), scripts and stylesheet links
//! dropped, and every image given a width (Outlook ignores CSS widths).

use crate::error::{Error, Location, Result};

/// Width of the email's text column: what an image without a width is given.
const IMAGE_WIDTH: u32 = crate::render::raster::COLUMN;

/// Moves every rule of the `<style>` blocks into `style=` attributes (at-rules such as
/// `@media` stay in a `<style>`), drops scripts and stylesheet links, and gives images a width.
pub(super) fn inline_css(html: &str, path: &str) -> Result<String> {
    let inliner = css_inline::CSSInliner::options()
        .keep_style_tags(false)
        .keep_at_rules(true)
        .keep_link_tags(false)
        .load_remote_stylesheets(false)
        .resolve_css_variables(true)
        // Every byte counts towards the size past which Gmail clips an email.
        .minify_css(true)
        .apply_width_attributes(true)
        // An issue's email has a thousand or two nodes: no growing the node table as it parses.
        .preallocate_node_capacity(2048)
        .build();
    let inlined = inliner
        .inline(&strip_scripts(html))
        .map_err(|e| Error::Template {
            location: Location::file(path),
            message: format!("cannot inline the email's CSS: {e}"),
        })?;
    Ok(add_image_widths(&inlined))
}

/// Where `needle` (lowercase ASCII) first occurs in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

fn strip_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = find_ignoring_case(rest, "<script") {
        out.push_str(&rest[..start]);
        rest = match find_ignoring_case(&rest[start..], "</script>") {
            Some(end) => &rest[start + end + "</script>".len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Outlook ignores CSS widths: every `<img>` without a `width` attribute gets the column's.
fn add_image_widths(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let (end, has_width) = scan_tag(&rest[start..]);
        let end = start + end;
        let tag = &rest[start..end];
        out.push_str(tag.strip_suffix('/').unwrap_or(tag));
        if !has_width {
            out.push_str(&format!(" width=\"{IMAGE_WIDTH}\""));
        }
        if tag.ends_with('/') {
            out.push('/');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where a tag's closing `>` is (quoted values may hold `>`), and whether it has a `width`
/// attribute outside its quoted values.
fn scan_tag(tag: &str) -> (usize, bool) {
    let mut quote: Option<char> = None;
    let mut has_width = false;
    for (at, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return (at, has_width),
            (None, c) if c.is_whitespace() => {
                let after = tag[at..].trim_start().to_ascii_lowercase();
                has_width |= after.starts_with("width=") || after.starts_with("width ");
            }
            _ => {}
        }
    }
    (tag.len(), has_width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_angle_brackets_do_not_end_an_image_tag() {
        assert_eq!(
            add_image_widths("<img alt=\"x>y\" src=\"q.png\">"),
            "<img alt=\"x>y\" src=\"q.png\" width=\"552\">"
        );
        assert_eq!(
            add_image_widths("<img alt=\" width=1\" src=\"q\">"),
            "<img alt=\" width=1\" src=\"q\" width=\"552\">"
        );
        assert_eq!(
            add_image_widths("<img src=\"q\" />"),
            "<img src=\"q\"  width=\"552\"/>"
        );
    }

    #[test]
    fn images_get_a_width_and_scripts_go() {
        assert_eq!(
            add_image_widths("<p><img src=\"a\" alt=\"x\"></p><img width=\"10\" src=\"b\">"),
            "<p><img src=\"a\" alt=\"x\" width=\"552\"></p><img width=\"10\" src=\"b\">"
        );
        assert_eq!(
            strip_scripts("a<SCRIPT>x</script>b<script src=x></script>c"),
            "abc"
        );
    }

    #[test]
    fn css_is_inlined_and_media_queries_kept() {
        let html = "<html><head><style>p { color: #111; } @media (prefers-color-scheme: dark) { p { color: #eee !important; } }</style><link rel=\"stylesheet\" href=\"x.css\"></head><body><p>Hi</p></body></html>";
        let out = inline_css(html, "x").unwrap();
        assert!(out.contains("<p style=\"color:#111\""), "{out}");
        assert!(out.contains("@media (prefers-color-scheme: dark)"), "{out}");
        assert!(!out.contains("<link"), "{out}");
    }
}
