//! A body's code blocks (`<pre class="code"><code>…`, as Markdown writes them) -> as the email
//! shows them: colours inline (mail clients need them so), and each line a block of its own
//! that wraps with a hanging indent. A long line then never scrolls the email sideways, nor
//! wraps back to column 0, where indentation carries meaning (Python).

use crate::markdown::Restyler;

/// A monospace character's width, in em (Menlo, Courier New, DejaVu Sans Mono: 0.6;
/// Consolas 0.55): the indents are given in em, which every mail client knows.
const CHAR_EM: f32 = 0.6;
/// How much deeper than its line a wrapped part starts, in characters.
const HANG: usize = 2;
/// Past this indentation, wrapped parts start no deeper: a phone keeps room for them.
const MAX_INDENT: usize = 24;

/// `html` with each code block restyled and cut into lines.
pub(super) fn email_code(restyler: &Restyler, html: &str) -> String {
    const OPEN: &str = "<pre class=\"code\"";
    const CLOSE: &str = "</code></pre>";
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        // The `<code…>` tag: after the first `>` of the block, to the second.
        let Some((code_tag, inner)) = code_tag(&rest[start..]).map(|(t, i)| (start + t, start + i))
        else {
            break;
        };
        let Some(end) = rest[inner..].find(CLOSE).map(|at| inner + at) else {
            break;
        };
        let restyled = restyler.restyle(&rest[inner..end]);
        match lines(&restyled) {
            Some(lines) => {
                out.push_str(&rest[..code_tag]);
                // The line breaks between the lines' blocks are not shown (a client that
                // knows no blocks shows them instead, as a `<pre>`).
                out.push_str("<code style=\"white-space:normal\"");
                out.push_str(&rest[code_tag + "<code".len()..inner]);
                out.push_str(&lines);
            }
            None => {
                out.push_str(&rest[..inner]);
                out.push_str(&restyled);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the block's `<code` tag starts, and where its content starts.
fn code_tag(block: &str) -> Option<(usize, usize)> {
    let first = block.find('>')? + 1;
    let tag = &block[first..];
    if !tag.starts_with("<code") {
        return None;
    }
    Some((first, first + tag.find('>')? + 1))
}

/// The restyled inside of a `<code>` (text and `<span style="…">` only) as one block per
/// line, each span closed at the end of a line and opened again on the next. None for
/// anything else (raw HTML of the writer's): it is left as it is.
fn lines(code: &str) -> Option<String> {
    let mut out = String::with_capacity(code.len() * 2);
    let mut open: Vec<&str> = Vec::new();
    let mut line = String::new();
    // The line's indentation, counted while only spaces were met (`leading`), and whether
    // it has text (not only tags).
    let (mut indent, mut leading, mut seen) = (0, true, false);
    let mut rest = code.strip_suffix('\n').unwrap_or(code);
    while !rest.is_empty() {
        if rest.starts_with("<span style=\"") {
            let end = rest.find('>')? + 1;
            open.push(&rest[..end]);
            line.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            open.pop()?;
            line.push_str("</span>");
            rest = after;
        } else if rest.starts_with('<') {
            return None;
        } else if let Some(after) = rest.strip_prefix('\n') {
            end_line(&mut out, &mut line, indent, &open);
            (indent, leading, seen) = (0, true, false);
            rest = after;
        } else {
            let c = rest.chars().next()?;
            seen = true;
            match c {
                // Leading tabs as four spaces: mail clients' tab stops are their own.
                '\t' if leading => {
                    line.push_str("    ");
                    indent += 4;
                }
                ' ' if leading => {
                    line.push(' ');
                    indent += 1;
                }
                _ => {
                    line.push(c);
                    leading = false;
                }
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    // Highlighted code ends with its last line break inside spans: no empty line after it.
    if seen || out.is_empty() {
        end_line(&mut out, &mut line, indent, &open);
    }
    Some(out)
}

/// Writes `line` (indented by `indent` spaces) as a block, closing the spans still open,
/// and starts the next line inside them again.
fn end_line(out: &mut String, line: &mut String, indent: usize, open: &[&str]) {
    if line.trim().is_empty() && open.is_empty() {
        // An empty line keeps its height with one space (nothing else to copy).
        line.clear();
        line.push(' ');
    }
    let hang = (indent.min(MAX_INDENT) + HANG) as f32 * CHAR_EM;
    out.push_str(&format!(
        "<span style=\"display:block;white-space:pre-wrap;padding-left:{hang:.1}em;\
         text-indent:-{hang:.1}em\">"
    ));
    out.push_str(line);
    out.push_str(&"</span>".repeat(open.len()));
    out.push_str("</span>\n");
    line.clear();
    for tag in open {
        line.push_str(tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(style_and_text: &str) -> String {
        format!("<span style=\"display:block;white-space:pre-wrap;{style_and_text}</span>\n")
    }

    #[test]
    fn each_line_hangs_under_its_own_indentation() {
        let out = lines("def f(x):\n    return x\n\n\tpass\n").unwrap();
        assert_eq!(
            out,
            [
                block("padding-left:1.2em;text-indent:-1.2em\">def f(x):"),
                block("padding-left:3.6em;text-indent:-3.6em\">    return x"),
                block("padding-left:1.2em;text-indent:-1.2em\"> "),
                block("padding-left:3.6em;text-indent:-3.6em\">    pass"),
            ]
            .concat()
        );
    }

    #[test]
    fn spans_across_lines_are_closed_and_opened_again() {
        let out = lines(
            "a <span style=\"color:#1\">/* x\n  y */</span> b<span style=\"color:#2\">\n</span>",
        )
        .unwrap();
        assert_eq!(
            out,
            [
                block(
                    "padding-left:1.2em;text-indent:-1.2em\">a <span style=\"color:#1\">/* x</span>"
                ),
                block(
                    "padding-left:2.4em;text-indent:-2.4em\"><span style=\"color:#1\">  y */</span> b<span style=\"color:#2\"></span>"
                ),
            ]
            .concat()
        );
    }

    #[test]
    fn other_markup_is_left_alone() {
        assert_eq!(lines("a <b>b</b>"), None);
        assert_eq!(lines("a </span>"), None);
        let html = "<pre class=\"code\"><code>x <b>y</b>\n</code></pre>";
        assert_eq!(email_code(&Restyler::default(), html), html);
    }

    #[test]
    fn blocks_become_lines_and_the_rest_stays() {
        let html = "<p>a</p><pre class=\"code\" data-lang=\"py\"><code class=\"language-py\">x = 1\n</code></pre><p>b</p><pre class=\"code\"";
        let out = email_code(&Restyler::default(), html);
        assert_eq!(
            out,
            format!(
                "<p>a</p><pre class=\"code\" data-lang=\"py\"><code style=\"white-space:normal\" class=\"language-py\">{}</code></pre><p>b</p><pre class=\"code\"",
                block("padding-left:1.2em;text-indent:-1.2em\">x = 1")
            )
        );
    }
}
