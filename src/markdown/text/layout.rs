//! `PlainText` (a body's blocks, unwrapped) -> wrapped lines, at a width and with link numbers
//! given by the whole message: the email's text part numbers its links once, across the
//! intro and every article, so a body is laid out only when the message is put together.

use std::collections::HashMap;

use pulldown_cmark::Alignment;

/// Inline text: words, or a reference to the body's link `n` (in `PlainText::links`), which
/// becomes `[number]` once the message has numbered it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(String),
    Link(usize),
}

/// A table as Markdown wrote it: rows of cells (the first `head` rows are headers).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Table {
    pub aligns: Vec<Alignment>,
    pub rows: Vec<Vec<Vec<Piece>>>,
    pub head: usize,
    /// The quote and list nesting's prefix.
    pub prefix: String,
    /// French spacing before the colon of `header: value` (the list form).
    pub french: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// Text wrapped after `first` (first line) and `rest` (the others).
    Wrapped {
        first: String,
        rest: String,
        pieces: Vec<Piece>,
    },
    /// A heading: wrapped, then underlined with `rule`.
    Heading {
        rule: char,
        pieces: Vec<Piece>,
    },
    /// Lines kept as they are: code, rules.
    Verbatim(String),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// Joined to the block before by a line break only (inside list items), not a blank line.
    pub tight: bool,
    pub kind: Kind,
}

/// A body as plain text, before wrapping: blocks, footnotes (in number order) and the URLs
/// its `Piece::Link`s point to.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PlainText {
    pub blocks: Vec<Block>,
    pub notes: Vec<Vec<Piece>>,
    pub links: Vec<String>,
}

/// The link numbers of one message: each URL gets one number, the first time it is met.
#[derive(Debug, Default)]
pub(crate) struct LinkNumbers {
    numbers: HashMap<String, usize>,
}

impl LinkNumbers {
    /// `url`'s number, and whether it is new (to be listed after the body that met it).
    fn number(&mut self, url: &str) -> (usize, bool) {
        if let Some(&n) = self.numbers.get(url) {
            return (n, false);
        }
        let n = self.numbers.len() + 1;
        self.numbers.insert(url.to_string(), n);
        (n, true)
    }
}

impl PlainText {
    /// Text shown as it is (what stands for a body when keys are computed).
    pub(crate) fn verbatim(text: String) -> PlainText {
        let kind = Kind::Verbatim(text);
        PlainText {
            blocks: vec![Block { tight: false, kind }],
            ..PlainText::default()
        }
    }

    /// The body wrapped at `width` columns, its links numbered by `numbers`: the text, its
    /// notes as `(n) …`, then the links it met first as `[n] URL`.
    pub(crate) fn layout(&self, width: usize, numbers: &mut LinkNumbers) -> String {
        let mut listed = Vec::new();
        let mut own = Vec::with_capacity(self.links.len());
        for url in &self.links {
            let (n, new) = numbers.number(url);
            own.push(n);
            if new {
                listed.push(format!("[{n}] {url}"));
            }
        }
        let mut out = String::new();
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str(if block.tight { "\n" } else { "\n\n" });
            }
            out.push_str(&block.layout(width, &own));
        }
        let mut out = out.trim_end().to_string();
        if !self.notes.is_empty() {
            out.push_str("\n\n");
            for (i, note) in self.notes.iter().enumerate() {
                let first = format!("({}) ", i + 1);
                let rest = " ".repeat(first.len());
                out.push_str(&wrap(&joined(note, &own), width, &first, &rest));
                out.push('\n');
            }
        }
        if !listed.is_empty() {
            out.truncate(out.trim_end().len());
            out.push_str("\n\n");
            out.push_str(&listed.join("\n"));
        }
        out.trim_end().to_string()
    }

    /// The body laid out as a message of its own.
    #[cfg(test)]
    pub(crate) fn layout_alone(&self, width: usize) -> String {
        self.layout(width, &mut LinkNumbers::default())
    }
}

impl Block {
    fn layout(&self, width: usize, numbers: &[usize]) -> String {
        match &self.kind {
            Kind::Wrapped {
                first,
                rest,
                pieces,
            } => wrap(&joined(pieces, numbers), width, first, rest),
            Kind::Heading { rule, pieces } => {
                let title = joined(pieces, numbers);
                let title = title.trim();
                let underline: String =
                    std::iter::repeat_n(*rule, title.chars().count().min(width)).collect();
                format!("{}\n{underline}", wrap(title, width, "", ""))
            }
            Kind::Verbatim(text) => text.clone(),
            Kind::Table(table) => table.layout(width, numbers),
        }
    }
}

/// `pieces` as one string, each link as ` [n]`.
pub(crate) fn joined(pieces: &[Piece], numbers: &[usize]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Link(i) => {
                let n = numbers.get(*i).copied().unwrap_or(i + 1);
                out.push_str(&format!(" [{n}]"));
            }
        }
    }
    out
}

impl Table {
    /// Aligned columns when they fit in `width`; otherwise a list, one item per row.
    fn layout(&self, width: usize, numbers: &[usize]) -> String {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| {
                        joined(cell, numbers)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect()
            })
            .collect();
        let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for row in &cells {
            for (c, cell) in row.iter().enumerate() {
                widths[c] = widths[c].max(cell.chars().count());
            }
        }
        let total = self.prefix.chars().count()
            + widths.iter().sum::<usize>()
            + 3 * columns.saturating_sub(1);
        if total <= width {
            self.columns(&cells, &widths)
        } else {
            self.list(&cells, width)
        }
    }

    /// `a | b` rows, each column as wide as its widest cell, a rule under the headers.
    fn columns(&self, cells: &[Vec<String>], widths: &[usize]) -> String {
        let mut lines = Vec::with_capacity(cells.len() + 1);
        for (r, row) in cells.iter().enumerate() {
            let padded: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(c, &w)| {
                    let cell = row.get(c).map_or("", String::as_str);
                    let align = self.aligns.get(c).copied().unwrap_or(Alignment::None);
                    pad(cell, w, align)
                })
                .collect();
            lines.push(
                format!("{}{}", self.prefix, padded.join(" | "))
                    .trim_end()
                    .to_string(),
            );
            if r + 1 == self.head {
                let rules: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
                lines.push(format!("{}{}", self.prefix, rules.join("-+-")));
            }
        }
        lines.join("\n")
    }

    /// Each row as a list item: `- label`, then `header: value` lines. The first cell is
    /// the item's label when its column has no header (a table of rows named in it).
    fn list(&self, cells: &[Vec<String>], width: usize) -> String {
        let headers: &[String] = match self.head {
            0 => &[],
            _ => &cells[0],
        };
        let labelled = headers.first().is_none_or(String::is_empty);
        let colon = if self.french { "\u{a0}:" } else { ":" };
        let (first, rest) = (format!("{}- ", self.prefix), format!("{}  ", self.prefix));
        let deeper = format!("{rest}  ");
        let mut items = Vec::new();
        for row in &cells[self.head.min(cells.len())..] {
            let mut lines = Vec::new();
            let label = row.first().filter(|_| labelled);
            if let Some(label) = label.filter(|l| !l.is_empty()) {
                lines.push(wrap(label, width, &first, &rest));
            }
            let fields = row.iter().enumerate().skip(usize::from(label.is_some()));
            for (c, cell) in fields.filter(|(_, cell)| !cell.is_empty()) {
                let text = match headers.get(c).filter(|h| !h.is_empty()) {
                    Some(header) => format!("{header}{colon} {cell}"),
                    None => cell.clone(),
                };
                let lead = if lines.is_empty() { &first } else { &rest };
                lines.push(wrap(&text, width, lead, &deeper));
            }
            if !lines.is_empty() {
                items.push(lines.join("\n"));
            }
        }
        items.join("\n\n")
    }
}

/// `cell` padded to `width` columns as `align` puts it.
fn pad(cell: &str, width: usize, align: Alignment) -> String {
    let gap = width.saturating_sub(cell.chars().count());
    let (left, right) = match align {
        Alignment::Right => (gap, 0),
        Alignment::Center => (gap / 2, gap - gap / 2),
        Alignment::Left | Alignment::None => (0, gap),
    };
    format!("{}{cell}{}", " ".repeat(left), " ".repeat(right))
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
pub(super) fn trim_line_end(out: &mut String, line_start: usize) {
    let kept = out[line_start..].trim_end().len();
    out.truncate(line_start + kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(rows: &[&[&str]]) -> Vec<Vec<Vec<Piece>>> {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|c| vec![Piece::Text(c.to_string())])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn tables_of_any_shape_lay_out_within_the_width_or_as_a_list() {
        let ragged = Table {
            rows: cells(&[&["a", "b"], &["1"], &[], &["x", "y", "z"]]),
            head: 1,
            ..Table::default()
        };
        assert_eq!(
            ragged.layout(72, &[]),
            "a | b |\n--+---+--\n1 |   |\n  |   |\nx | y | z"
        );
        let headless = Table {
            rows: cells(&[&["long cell text"; 8]]),
            ..Table::default()
        };
        let list = headless.layout(40, &[]);
        assert!(
            list.starts_with("- long cell text\n  long cell text"),
            "{list}"
        );
        assert!(list.lines().all(|l| l.chars().count() <= 40), "{list}");
        assert_eq!(Table::default().layout(72, &[]), "");
    }

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

    #[test]
    fn no_break_spaces_are_not_break_points() {
        let wrapped = wrap("aaaa bbbb\u{a0}: cccc", 10, "", "");
        assert_eq!(wrapped, "aaaa\nbbbb\u{a0}:\ncccc");
    }
}
