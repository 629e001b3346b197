//! Markdown body -> plain text for the email edition's text part: readable without markup,
//! wrapped at a fixed width, links numbered and listed with their absolute URLs.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::{RenderOptions, urls};

/// Column at which the plain text (the email edition's text part) wraps.
pub(crate) const TEXT_WIDTH: usize = 72;

/// Renders `body` as plain text wrapped at `width` columns. Links become `text [n]`, listed
/// after the text as `[n] https://…`; footnotes become `(n)`, listed as notes. The text is
/// typeset as the HTML is (French spacing), by the same pass.
pub(crate) fn render_text(body: &str, options: &RenderOptions, width: usize) -> String {
    super::render_with_text(body, options, Some(width))
        .text
        .unwrap_or_default()
}

/// Wraps `text` at `width` columns after `first` (first line) / `rest` (other lines).
/// Breaks only at ordinary spaces: no-break spaces keep French punctuation attached.
/// Runs of spaces count as one.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let lines = text.len() / width.max(1) + 1;
    let mut out = String::with_capacity(text.len() + first.len() + lines * (rest.len() + 1));
    out.push_str(first);
    let rest_len = rest.chars().count();
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut line_len = first.chars().count();
    let mut empty = true;
    // Words go out in runs, each copied at once: the words of a line that single spaces join.
    let mut run = 0..0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b' ' {
            at += 1;
            continue;
        }
        let start = at;
        // The word's characters: every byte but UTF-8 continuation bytes. Words are short:
        // one loop that counts as it looks for the space beats a search and a count.
        let mut len = 0;
        while let Some(&byte) = bytes.get(at).filter(|&&b| b != b' ') {
            len += usize::from((byte as i8) >= -0x40);
            at += 1;
        }
        if !empty && line_len + 1 + len > width {
            out.push_str(&text[run.clone()]);
            trim_line_end(&mut out, line_start);
            out.push('\n');
            line_start = out.len();
            out.push_str(rest);
            line_len = rest_len;
            empty = true;
        }
        if empty {
            run = start..at;
        } else {
            line_len += 1;
            if run.end + 1 == start {
                run.end = at;
            } else {
                out.push_str(&text[run.clone()]);
                out.push(' ');
                run = start..at;
            }
        }
        line_len += len;
        empty = false;
    }
    out.push_str(&text[run]);
    trim_line_end(&mut out, line_start);
    out
}

/// Drops the trailing spaces of the line that starts at `line_start` (the last one).
fn trim_line_end(out: &mut String, line_start: usize) {
    let kept = out[line_start..].trim_end().len();
    out.truncate(line_start + kept);
}

enum Block {
    Quote,
    List(Option<u64>),
    Item { marker: String, used: bool },
}

pub(super) struct Writer<'o> {
    options: &'o RenderOptions<'o>,
    width: usize,
    out: String,
    inline: String,
    blocks: Vec<Block>,
    links: Vec<String>,
    link_stack: Vec<(String, usize)>,
    notes: Vec<(String, String)>,
    in_note: Option<String>,
    note_text: String,
    code: Option<String>,
    heading: Option<HeadingLevel>,
    table_row: Vec<String>,
    in_image: bool,
}

impl<'o> Writer<'o> {
    pub(super) fn new(options: &'o RenderOptions<'o>, width: usize) -> Self {
        Writer {
            options,
            width,
            out: String::new(),
            inline: String::new(),
            blocks: Vec::new(),
            links: Vec::new(),
            link_stack: Vec::new(),
            notes: Vec::new(),
            in_note: None,
            note_text: String::new(),
            code: None,
            heading: None,
            table_row: Vec::new(),
            in_image: false,
        }
    }

    pub(super) fn feed(&mut self, event: Event) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    let indent = format!("{}    ", self.prefix(false));
                    let block: Vec<String> = code
                        .trim_end_matches('\n')
                        .lines()
                        .map(|l| format!("{indent}{l}").trim_end().to_string())
                        .collect();
                    self.push_block(&block.join("\n"));
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                self.inline.push_str(&code);
            }
            Event::SoftBreak | Event::HardBreak => self.inline.push(' '),
            Event::FootnoteReference(label) => {
                let number = match self.notes.iter().position(|(l, _)| *l == *label) {
                    Some(i) => i + 1,
                    None => {
                        self.notes.push((label.to_string(), String::new()));
                        self.notes.len()
                    }
                };
                self.inline.push_str(&format!("({number})"));
            }
            Event::TaskListMarker(done) => self.inline.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Rule => self.push_block("----"),
            _ => {}
        }
    }

    /// Text as the HTML shows it: typeset already.
    fn text(&mut self, text: &str) {
        if self.in_image {
            self.inline.push_str(text);
            return;
        }
        // Line breaks inside a paragraph are spaces once wrapped.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.inline.push(' ');
            }
            self.inline.push_str(line);
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Table(_) => {
                self.flush_inline();
                if !self.out.is_empty() {
                    self.out.push_str("\n\n");
                }
            }
            Tag::Heading { level, .. } => self.heading = Some(level),
            Tag::BlockQuote(_) => self.blocks.push(Block::Quote),
            Tag::List(start) => self.blocks.push(Block::List(start)),
            Tag::Item => {
                let marker = match self.blocks.last_mut() {
                    Some(Block::List(Some(n))) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.blocks.push(Block::Item {
                    marker,
                    used: false,
                });
            }
            Tag::CodeBlock(_) => {
                self.flush_inline();
                self.code = Some(String::new());
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_inline();
                self.in_note = Some(label.to_string());
                self.note_text.clear();
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = self.absolute(&dest_url);
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.link_stack.push((
                    if autolink { String::new() } else { url },
                    self.inline.len(),
                ));
            }
            Tag::Image { dest_url, .. } => {
                let url = self.absolute(&dest_url);
                self.in_image = true;
                self.inline.push('[');
                self.link_stack.push((url, self.inline.len()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush_inline(),
            TagEnd::Heading(level) => {
                let title = std::mem::take(&mut self.inline);
                let title = title.trim();
                let rule = if level <= HeadingLevel::H2 { '=' } else { '-' };
                let underline: String =
                    std::iter::repeat_n(rule, title.chars().count().min(self.width)).collect();
                self.heading = None;
                self.push_block(&format!("{}\n{underline}", wrap(title, self.width, "", "")));
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) => {
                self.flush_inline();
                self.blocks.pop();
            }
            TagEnd::Item => {
                self.flush_inline();
                self.blocks.pop();
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                self.table_row.push(cell.trim().to_string());
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let row = std::mem::take(&mut self.table_row).join(" | ");
                let prefix = self.prefix(false);
                self.out
                    .push_str(&wrap(&row, self.width, &prefix, &format!("{prefix}  ")));
                self.out.push('\n');
            }
            TagEnd::Table => {
                let end = self.out.trim_end_matches('\n').len();
                self.out.truncate(end);
            }
            TagEnd::FootnoteDefinition => {
                self.flush_inline();
                if let Some(label) = self.in_note.take() {
                    let text = std::mem::take(&mut self.note_text);
                    match self.notes.iter_mut().find(|(l, _)| *l == label) {
                        Some(note) => note.1 = text,
                        None => self.notes.push((label, text)),
                    }
                }
            }
            TagEnd::Link => {
                if let Some((url, start)) = self.link_stack.pop() {
                    let text = self.inline[start..].trim().to_string();
                    if !url.is_empty() && text != url && !url.starts_with('#') {
                        self.links.push(url);
                        self.inline.push_str(&format!(" [{}]", self.links.len()));
                    }
                }
            }
            TagEnd::Image => {
                self.in_image = false;
                match self.link_stack.pop() {
                    Some((url, _)) if !url.is_empty() => {
                        self.links.push(url);
                        self.inline.push_str(&format!("] [{}]", self.links.len()));
                    }
                    _ => self.inline.push(']'),
                }
            }
            _ => {}
        }
    }

    /// The absolute URL a link lists; empty (not listed) for a script link (see
    /// `urls::script_scheme`), which the HTML leaves out too.
    fn absolute(&self, dest: &str) -> String {
        if urls::script_scheme(dest).is_some() {
            return String::new();
        }
        match dest.strip_prefix("@/") {
            Some(target) => (self.options.resolve)(target).unwrap_or_default(),
            None if dest.starts_with('#') => format!("{}{dest}", self.options.page_url),
            None => urls::absolutize(dest, self.options.page_url, self.options.base_url),
        }
    }

    /// The line prefix for the current nesting; `first` puts the item marker in.
    fn prefix(&mut self, first: bool) -> String {
        let mut prefix = String::new();
        let last_item = self
            .blocks
            .iter()
            .rposition(|b| matches!(b, Block::Item { .. }));
        for (i, block) in self.blocks.iter_mut().enumerate() {
            match block {
                Block::Quote => prefix.push_str("> "),
                Block::List(_) => {}
                Block::Item { marker, used } => {
                    if first && Some(i) == last_item && !*used {
                        prefix.push_str(marker);
                        *used = true;
                    } else {
                        prefix.push_str(&" ".repeat(marker.chars().count()));
                    }
                }
            }
        }
        prefix
    }

    fn flush_inline(&mut self) {
        let text = std::mem::take(&mut self.inline);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let rest = self.prefix(false);
        let first = self.prefix(true);
        let block = wrap(text, self.width, &first, &rest);
        self.push_block(&block);
    }

    fn push_block(&mut self, block: &str) {
        let target = if self.in_note.is_some() {
            &mut self.note_text
        } else {
            &mut self.out
        };
        if !target.is_empty() {
            let tight = self.blocks.iter().any(|b| matches!(b, Block::Item { .. }));
            target.push_str(if tight { "\n" } else { "\n\n" });
        }
        target.push_str(block);
    }

    pub(super) fn finish(mut self) -> String {
        self.flush_inline();
        let mut out = self.out.trim_end().to_string();
        if !self.notes.is_empty() {
            out.push_str("\n\n");
            for (i, (_, text)) in self.notes.iter().enumerate() {
                let first = format!("({}) ", i + 1);
                let rest = " ".repeat(first.len());
                out.push_str(&wrap(&text.replace('\n', " "), self.width, &first, &rest));
                out.push('\n');
            }
        }
        if !self.links.is_empty() {
            out.push_str("\n\n");
            for (i, url) in self.links.iter().enumerate() {
                out.push_str(&format!("[{}] {url}\n", i + 1));
            }
        }
        out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wrapping as first written, a word at a time: the oracle for the faster one.
    fn reference_wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
        let lines = text.len() / width.max(1) + 1;
        let mut out = String::with_capacity(text.len() + first.len() + lines * (rest.len() + 1));
        out.push_str(first);
        let mut line_start = 0;
        let mut line_len = first.chars().count();
        let mut empty = true;
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let len = word.chars().count();
            if !empty && line_len + 1 + len > width {
                trim_line_end(&mut out, line_start);
                out.push('\n');
                line_start = out.len();
                out.push_str(rest);
                line_len = rest.chars().count();
                empty = true;
            }
            if !empty {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += len;
            empty = false;
        }
        trim_line_end(&mut out, line_start);
        out
    }

    #[test]
    fn wrap_is_the_same_as_a_word_at_a_time() {
        let pieces = [
            "a",
            "mot",
            "é",
            "œuvre",
            " ",
            "  ",
            "\u{a0}",
            "\u{a0}:",
            "x\u{202f}!",
            "long-long-long-word",
        ];
        let mut next = crate::test_support::xorshift(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let n = (next() % 30) as usize;
            let text: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(if next().is_multiple_of(3) { "  " } else { " " });
            let width = 1 + (next() % 20) as usize;
            for (first, rest) in [("", ""), ("> ", "> "), ("1. ", "   "), ("(12) ", "  ")] {
                assert_eq!(
                    wrap(&text, width, first, rest),
                    reference_wrap(&text, width, first, rest),
                    "{text:?} at {width} after {first:?}"
                );
            }
        }
    }

    fn text_of(body: &str, french: bool) -> String {
        let resolve = |t: &str| {
            Ok(format!(
                "https://g.example/fr/{}/",
                t.trim_end_matches(".md")
            ))
        };
        let options = RenderOptions {
            french,
            english: false,
            highlight: false,
            id_prefix: "a-",
            reserved_ids: &[],
            heading_ids: Default::default(),
            page_url: "https://g.example/fr/a/",
            base_url: "https://g.example",
            words_per_minute: 200,
            code_cache: None,
            resolve: &resolve,
        };
        render_text(body, &options, 72)
    }

    #[test]
    fn links_are_numbered_and_listed() {
        let text = text_of(
            "Voir [ceci](@/b.md) et [cela](https://x.io/) : <https://y.io>.",
            true,
        );
        assert!(
            text.starts_with("Voir ceci [1] et cela [2]\u{a0}: https://y.io."),
            "{text}"
        );
        assert!(
            text.ends_with("[1] https://g.example/fr/b/\n[2] https://x.io/"),
            "{text}"
        );
    }

    #[test]
    fn wraps_at_width_and_keeps_markup_out() {
        let text = text_of(
            &format!(
                "## Titre\n\n{}\n\n- **un**\n- *deux*\n\n> cité\n",
                "mot ".repeat(40)
            ),
            false,
        );
        assert!(text.lines().all(|l| l.chars().count() <= 72), "{text}");
        assert!(text.starts_with("Titre\n=====\n\nmot mot"), "{text}");
        assert!(text.contains("- un\n- deux"), "{text}");
        assert!(text.contains("> cité"), "{text}");
        assert!(
            !text.contains('*') && !text.contains('#') && !text.contains('<'),
            "{text}"
        );
    }

    #[test]
    fn code_blocks_are_indented_not_typeset() {
        let text = text_of(
            "Texte :\n\n```rust\nfn main() { println!(\"a ?\"); }\n```\n",
            true,
        );
        assert!(
            text.contains("\n    fn main() { println!(\"a ?\"); }"),
            "{text}"
        );
    }

    #[test]
    fn tables_are_blocks_of_their_own() {
        let text = text_of("Texte.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nFin.", false);
        assert_eq!(text, "Texte.\n\na | b\n1 | 2\n\nFin.");
    }

    #[test]
    fn footnotes_become_notes() {
        let text = text_of("Un fait[^1].\n\n[^1]: La source.\n", false);
        assert!(text.starts_with("Un fait(1)."), "{text}");
        assert!(text.ends_with("(1) La source."), "{text}");
    }

    #[test]
    fn no_break_spaces_are_not_break_points() {
        let wrapped = wrap("aaaa bbbb\u{a0}: cccc", 10, "", "");
        assert_eq!(wrapped, "aaaa\nbbbb\u{a0}:\ncccc");
    }
}
