//! Markdown events -> `PlainText`, the email edition's text part of a body: readable without
//! markup, links numbered and listed with their absolute URLs, inline code in backticks.
//! The body is laid out (wrapped, links numbered) only when the message is put together
//! (`layout`): an email numbers its links once, across all its bodies.

mod layout;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Tag, TagEnd};

use layout::{Block, Kind, Piece, Table};
pub(crate) use layout::{LinkNumbers, PlainText, wrap};

use super::{RenderOptions, urls};

/// Column at which the plain text (the email edition's text part) wraps.
pub(crate) const TEXT_WIDTH: usize = 72;

/// Renders `body` as plain text wrapped at `width` columns, as a message of its own. Links
/// become `text [n]`, listed after the text as `[n] https://…`; footnotes become `(n)`,
/// listed as notes. The text is typeset as the HTML is (French spacing), by the same pass.
#[cfg(test)]
pub(crate) fn render_text(body: &str, options: &RenderOptions, width: usize) -> String {
    super::render_with_text(body, options, true)
        .text
        .map(|text| text.layout_alone(width))
        .unwrap_or_default()
}

enum Nest {
    Quote,
    List(Option<u64>),
    Item { marker: String, used: bool },
}

pub(super) struct Writer<'o> {
    options: &'o RenderOptions<'o>,
    blocks: Vec<Block>,
    inline: Vec<Piece>,
    nesting: Vec<Nest>,
    links: Vec<String>,
    /// Each open link: its URL and where its text starts in `inline`.
    link_stack: Vec<(String, usize)>,
    /// (label, text) of each footnote, in number order.
    notes: Vec<(String, Vec<Piece>)>,
    in_note: Option<String>,
    note: Vec<Piece>,
    code: Option<String>,
    table: Option<Table>,
    /// Inside an image: its description, typeset here (the HTML keeps it as written, in an
    /// attribute), and its last character.
    in_image: bool,
    alt_last: Option<char>,
    /// A list starts outside any list: its first item is a paragraph away from what precedes.
    list_opens: bool,
}

impl<'o> Writer<'o> {
    pub(super) fn new(options: &'o RenderOptions<'o>) -> Self {
        Writer {
            options,
            blocks: Vec::new(),
            inline: Vec::new(),
            nesting: Vec::new(),
            links: Vec::new(),
            link_stack: Vec::new(),
            notes: Vec::new(),
            in_note: None,
            note: Vec::new(),
            code: None,
            table: None,
            in_image: false,
            alt_last: None,
            list_opens: false,
        }
    }

    pub(super) fn feed(&mut self, event: Event) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.push_text(&backticked(&code)),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::FootnoteReference(label) => {
                let number = self.note_number(&label);
                self.push_text(&format!("({number})"));
            }
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }),
            Event::Rule => self.push_block(Kind::Verbatim("----".into())),
            _ => {}
        }
    }

    /// Footnote `label`'s number: the order of first reference.
    fn note_number(&mut self, label: &str) -> usize {
        match self.notes.iter().position(|(l, _)| l == label) {
            Some(i) => i + 1,
            None => {
                self.notes.push((label.to_string(), Vec::new()));
                self.notes.len()
            }
        }
    }

    fn end_code_block(&mut self) {
        let code = self.code.take().unwrap_or_default();
        let indent = format!("{}    ", self.prefix(false));
        let block: Vec<String> = code
            .trim_end_matches('\n')
            .lines()
            .map(|l| format!("{indent}{l}").trim_end().to_string())
            .collect();
        self.push_block(Kind::Verbatim(block.join("\n")));
    }

    /// Text as the HTML shows it: typeset already, but in image descriptions.
    fn text(&mut self, text: &str) {
        if self.in_image {
            use crate::typography::{Rules, typeset_after};
            let rules = match (self.options.french, self.options.english) {
                (true, _) => Some(Rules::French),
                (false, true) => Some(Rules::English),
                (false, false) => None,
            };
            let text = match rules {
                Some(rules) => typeset_after(rules, text, self.alt_last),
                None => text.to_string(),
            };
            self.alt_last = text.chars().last().or(self.alt_last);
            self.push_text(&text);
            return;
        }
        // Line breaks inside a paragraph are spaces once wrapped.
        self.push_text(&text.replace('\n', " "));
    }

    fn push_text(&mut self, text: &str) {
        match self.inline.last_mut() {
            Some(Piece::Text(last)) => last.push_str(text),
            _ => self.inline.push(Piece::Text(text.to_string())),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Table(aligns) => {
                self.flush_inline();
                self.table = Some(Table {
                    aligns,
                    prefix: self.prefix(false),
                    french: self.options.french,
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::BlockQuote(_) => self.nesting.push(Nest::Quote),
            Tag::List(start) => {
                self.flush_inline();
                self.list_opens |= !self.in_item();
                self.nesting.push(Nest::List(start));
            }
            Tag::Item => self.start_item(),
            Tag::CodeBlock(_) => {
                self.flush_inline();
                self.code = Some(String::new());
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_inline();
                self.in_note = Some(label.to_string());
                self.note.clear();
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let url = if autolink {
                    String::new()
                } else {
                    self.absolute(&dest_url)
                };
                self.open_link(url);
            }
            Tag::Image { dest_url, .. } => {
                let url = self.absolute(&dest_url);
                self.in_image = true;
                self.alt_last = None;
                self.push_text("[");
                self.open_link(url);
            }
            _ => {}
        }
    }

    /// A list item: its marker, `- ` or the list's next number.
    fn start_item(&mut self) {
        let marker = match self.nesting.last_mut() {
            Some(Nest::List(Some(n))) => {
                *n += 1;
                format!("{}. ", *n - 1)
            }
            _ => "- ".to_string(),
        };
        self.nesting.push(Nest::Item {
            marker,
            used: false,
        });
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush_inline(),
            TagEnd::Item => {
                self.flush_inline();
                self.nesting.pop();
            }
            TagEnd::Heading(level) => {
                let pieces = trimmed(std::mem::take(&mut self.inline));
                let rule = if level <= HeadingLevel::H2 { '=' } else { '-' };
                self.push_block(Kind::Heading { rule, pieces });
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) => {
                self.flush_inline();
                self.nesting.pop();
            }
            TagEnd::TableCell => {
                let cell = trimmed(std::mem::take(&mut self.inline));
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.head = table.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.push_block(Kind::Table(table));
                }
            }
            TagEnd::FootnoteDefinition => self.end_note(),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => {
                self.in_image = false;
                self.push_text("]");
                if let Some((url, _)) = self.link_stack.pop() {
                    self.number_link(url);
                }
            }
            _ => {}
        }
    }

    fn end_note(&mut self) {
        self.flush_inline();
        if let Some(label) = self.in_note.take() {
            let text = trimmed(std::mem::take(&mut self.note));
            let number = self.note_number(&label);
            self.notes[number - 1].1 = text;
        }
    }

    /// Numbers the link that ends here, unless its text is its URL (an autolink, or text
    /// that says the URL) or it leads nowhere (a script link, left out).
    fn end_link(&mut self) {
        let Some((url, start)) = self.link_stack.pop() else {
            return;
        };
        let text: String = self.inline[start.min(self.inline.len())..]
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t.as_str()),
                Piece::Link(_) => None,
            })
            .collect();
        if text.trim() != url {
            self.number_link(url);
        }
    }

    /// A link starts: its text goes into a piece of its own, so that its end knows it.
    fn open_link(&mut self, url: String) {
        self.inline.push(Piece::Text(String::new()));
        self.link_stack.push((url, self.inline.len() - 1));
    }

    /// `url` listed, and its number put here; nothing for a link left out (no URL).
    fn number_link(&mut self, url: String) {
        if !url.is_empty() {
            self.links.push(url);
            self.inline.push(Piece::Link(self.links.len() - 1));
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
            .nesting
            .iter()
            .rposition(|b| matches!(b, Nest::Item { .. }));
        for (i, block) in self.nesting.iter_mut().enumerate() {
            match block {
                Nest::Quote => prefix.push_str("> "),
                Nest::List(_) => {}
                Nest::Item { marker, used } => {
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
        let pieces = trimmed(std::mem::take(&mut self.inline));
        if pieces.is_empty() {
            return;
        }
        let rest = self.prefix(false);
        let first = self.prefix(true);
        self.push_block(Kind::Wrapped {
            first,
            rest,
            pieces,
        });
    }

    /// A block of the body, or of the footnote being written: a note is one paragraph.
    fn push_block(&mut self, kind: Kind) {
        if self.in_note.is_some() {
            let pieces = match kind {
                Kind::Wrapped { pieces, .. } | Kind::Heading { pieces, .. } => pieces,
                Kind::Verbatim(text) => vec![Piece::Text(text.replace('\n', " "))],
                Kind::Table(table) => table.rows.into_iter().flatten().flatten().collect(),
            };
            if !self.note.is_empty() {
                self.note.push(Piece::Text(" ".into()));
            }
            self.note.extend(pieces);
            return;
        }
        let opens = std::mem::take(&mut self.list_opens);
        let tight = self.in_item() && !opens;
        self.blocks.push(Block { tight, kind });
    }

    fn in_item(&self) -> bool {
        self.nesting.iter().any(|b| matches!(b, Nest::Item { .. }))
    }

    pub(super) fn finish(mut self) -> PlainText {
        self.flush_inline();
        PlainText {
            blocks: self.blocks,
            notes: self.notes.into_iter().map(|(_, text)| text).collect(),
            links: self.links,
        }
    }
}

/// Inline code as plain text shows it: in backticks, doubled (with spaces) when the code
/// holds one.
fn backticked(code: &str) -> String {
    if code.contains('`') {
        format!("`` {code} ``")
    } else {
        format!("`{code}`")
    }
}

/// `pieces` without the spaces at their start and end.
fn trimmed(mut pieces: Vec<Piece>) -> Vec<Piece> {
    if let Some(Piece::Text(first)) = pieces.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        *last = last.trim_end().to_string();
    }
    pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(body: &str, french: bool) -> String {
        let resolve = |t: &str| {
            Ok(format!(
                "https://g.example/fr/{}/",
                t.trim_end_matches(".md")
            ))
        };
        let options = RenderOptions {
            french,
            id_prefix: "a-",
            ..RenderOptions::for_tests(&resolve)
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
        assert_eq!(text, "Texte.\n\na | b\n--+--\n1 | 2\n\nFin.");
    }

    #[test]
    fn footnotes_become_notes() {
        let text = text_of("Un fait[^1].\n\n[^1]: La source.\n", false);
        assert!(text.starts_with("Un fait(1)."), "{text}");
        assert!(text.ends_with("(1) La source."), "{text}");
    }
}
