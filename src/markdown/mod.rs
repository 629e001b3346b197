//! Markdown body -> `Rendered { html, summary, toc, words, … }`, pure: no Tera, no I/O.
//! Everything a page needs from its body is done here as rewrites of pulldown-cmark's
//! event stream: heading ids, footnotes unique per article, `@/` links, absolute URLs,
//! highlighted code, and French typography on text (never on code, URLs or attributes).

mod events;
mod highlight;
mod raw_html;
mod text;
pub(crate) mod urls;

use std::collections::HashMap;
use std::ops::Range;

use crate::config::HeadingIds;
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html,
};

pub(crate) use highlight::{CodeCache, Restyler};
#[cfg(test)]
pub(crate) use text::render_text;
pub(crate) use text::{LinkNumbers, PlainText, TEXT_WIDTH, wrap};

/// How to render one body.
pub(crate) struct RenderOptions<'a> {
    pub french: bool,
    /// English typography (curly quotes) on the text; never with `french`.
    pub english: bool,
    pub highlight: bool,
    /// Prefix of footnote ids, unique per article (several articles share issue pages).
    pub id_prefix: &'a str,
    /// Ids the page's template uses itself (`main`, `toc-title`): headings take others.
    pub reserved_ids: &'a [String],
    /// How heading ids are made from their text.
    pub heading_ids: HeadingIds,
    /// The page's absolute URL, ending with `/`: relative links resolve against it.
    pub page_url: &'a str,
    /// The site's base URL, without trailing slash: root-relative links resolve against it.
    pub base_url: &'a str,
    pub words_per_minute: usize,
    /// Remembers highlighted code blocks across pages (and rebuilds).
    pub code_cache: Option<&'a CodeCache>,
    /// Resolves `@/path.md#anchor` (given without `@/`) to an absolute URL, or says why not.
    pub resolve: &'a (dyn Fn(&str) -> Result<String, String> + Sync),
}

#[cfg(test)]
impl<'a> RenderOptions<'a> {
    /// What the unit tests render with: a page `https://g.example/fr/a/`, plain text (no
    /// typography, no highlighting); tests change what they look at.
    pub(crate) fn for_tests(resolve: &'a (dyn Fn(&str) -> Result<String, String> + Sync)) -> Self {
        RenderOptions {
            french: false,
            english: false,
            highlight: false,
            id_prefix: "",
            reserved_ids: &[],
            heading_ids: HeadingIds::default(),
            page_url: "https://g.example/fr/a/",
            base_url: "https://g.example",
            words_per_minute: 200,
            code_cache: None,
            resolve,
        }
    }
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Heading {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// Something wrong in the body, at a byte offset into it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    pub html: String,
    /// The HTML before `<!-- more -->`, if the body has that marker.
    pub summary: Option<String>,
    pub toc: Vec<Heading>,
    pub words: usize,
    pub reading_minutes: usize,
    /// Broken `@/` links: errors.
    pub errors: Vec<Problem>,
    /// Images without alt text: warnings.
    pub images_without_alt: Vec<usize>,
    /// Other warnings (links left out).
    pub warnings: Vec<Problem>,
    /// Every link and image target, absolute, with its offset (for `gazette check`).
    pub links: Vec<(usize, String)>,
    /// The body as plain text, when asked for (`render_with_text`), to be laid out.
    pub text: Option<PlainText>,
    /// Where the body first nests deeper than `MAX_DEPTH` elements, if it does. Pages show
    /// it, but the email edition's CSS inliner would overflow its stack.
    pub too_deep: Option<TooDeep>,
}

impl Rendered {
    /// What lists show of the body, for when the whole is no longer needed: its word count,
    /// reading time, summary and nesting depth.
    pub fn outline(&self) -> Rendered {
        Rendered {
            summary: self.summary.clone(),
            words: self.words,
            reading_minutes: self.reading_minutes,
            too_deep: self.too_deep,
            ..Rendered::default()
        }
    }
}

/// Where a body nests too deeply: line (from 0, in the body) and column (from 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TooDeep {
    pub line: usize,
    pub col: usize,
    pub depth: usize,
}

/// How deeply a body's elements may nest (Markdown blocks and raw HTML together) for the
/// email edition: a few dozen levels is already a lot; the CSS inliner recurses once per
/// level and runs out of stack in the thousands.
pub(crate) const MAX_DEPTH: usize = 500;

pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `text.split_whitespace().count()`, without decoding ASCII (most of any text) as chars.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let space = if byte.is_ascii() {
            at += 1;
            // `char::is_whitespace` on ASCII: `is_ascii_whitespace` plus the vertical tab.
            byte.is_ascii_whitespace() || byte == 0x0b
        } else {
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            at += c.len_utf8();
            c.is_whitespace()
        };
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Renders a Markdown body.
#[cfg(test)]
pub(crate) fn render(body: &str, options: &RenderOptions) -> Rendered {
    render_with_text(body, options, false)
}

/// `render`, plus the body as plain text when `with_text` (the email edition's text part,
/// which `render_text` gives alone): one parse and one typesetting for both.
pub(crate) fn render_with_text(body: &str, options: &RenderOptions, with_text: bool) -> Rendered {
    let parser = Parser::new_ext(body, parser_options()).into_offset_iter();
    let mut events = events::Merged::new(parser, body).peekable();
    let mut state = State::new(options, body);
    let mut text = with_text.then(|| text::Writer::new(options));
    let mut space_before = false;
    while let Some((event, range, escaped)) = events.next() {
        // A line break before `; : ! ?` would let the line break before the punctuation
        // that French binds to its word: it becomes a space, which typography makes the
        // no-break space.
        if event == Event::SoftBreak
            && options.french
            && let Some((Event::Text(next), _, _)) = events.peek()
            && next.starts_with([';', ':', '!', '?', '»', '%'])
        {
            space_before = true;
            continue;
        }
        // Prose is typeset once, for the page and the text alike; code, raw HTML code and
        // escaped characters stay as written.
        if let Event::Text(words) = &event
            && state.code.is_none()
            && state.raw_verbatim == 0
        {
            state.note_shortcodes(words, range.start);
        }
        let event = match event {
            Event::Text(words) if state.code.is_none() => {
                if state.heading.is_some() && state.image_depth == 0 {
                    state.heading_source.push_str(&words);
                }
                let words = match std::mem::take(&mut space_before) {
                    true => format!(" {words}").into(),
                    false => words,
                };
                Event::Text(state.typeset(words, escaped))
            }
            other => other,
        };
        if let Some(text) = &mut text {
            text.feed(event.clone());
        }
        state.feed(event, range);
    }
    let mut rendered = state.finish();
    rendered.text = text.map(text::Writer::finish);
    rendered
}

/// Where `<!-- more -->` cuts the summary: only between top-level blocks.
fn is_more_marker(html: &str) -> bool {
    let t = html.trim();
    t == "<!-- more -->" || t == "<!--more-->"
}

/// A heading being collected: level, explicit id, classes, inner events, plain text.
type OpenHeading<'a> = (u32, Option<String>, Vec<String>, Vec<Event<'a>>, String);

struct FootnoteDef<'a> {
    label: String,
    events: Vec<Event<'a>>,
}

struct State<'o, 'a> {
    options: &'o RenderOptions<'o>,
    /// The Markdown being rendered (for the place of a problem).
    body: &'a str,
    out: Vec<Event<'a>>,
    rendered: Rendered,
    depth: usize,
    cut: Option<usize>,
    pending_cut: bool,
    code: Option<(Option<String>, String)>,
    heading: Option<OpenHeading<'a>>,
    /// The open heading's text as written (before French typography): what other engines
    /// made its id from.
    heading_source: String,
    /// The open heading's Markdown, markup included: what Hugo makes ids from.
    heading_markup: String,
    footnote: Option<FootnoteDef<'a>>,
    footnotes: Vec<FootnoteDef<'a>>,
    footnote_numbers: HashMap<String, (usize, usize)>,
    ids: HashMap<String, usize>,
    flat_toc: Vec<(u32, String, String)>,
    image_depth: usize,
    image_alt: String,
    image_offset: usize,
    verbatim_link_depth: usize,
    /// Elements opened by raw HTML and not closed yet (an estimate: see `raw_depth_change`).
    html_depth: usize,
    /// Raw HTML elements whose text is not prose (`<code>`, `<script>`…) open here.
    raw_verbatim: usize,
    prev_char: Option<char>,
    /// The table being written, if any: its cells are written here (see `table_cell`).
    table: Option<TableShape>,
}

/// What a table's cells need: its columns' alignments, whether its first column names the
/// rows, where the cell being written is, and the end tag of that cell.
struct TableShape {
    alignments: Vec<Alignment>,
    row_labels: bool,
    in_head: bool,
    cell: usize,
    close: &'static str,
}

impl<'o, 'a> State<'o, 'a> {
    fn new(options: &'o RenderOptions<'o>, body: &'a str) -> Self {
        State {
            options,
            body,
            out: Vec::new(),
            rendered: Rendered::default(),
            depth: 0,
            cut: None,
            pending_cut: false,
            code: None,
            heading: None,
            heading_source: String::new(),
            heading_markup: String::new(),
            footnote: None,
            footnotes: Vec::new(),
            footnote_numbers: HashMap::new(),
            ids: options
                .reserved_ids
                .iter()
                .map(|id| (id.clone(), 0))
                .collect(),
            flat_toc: Vec::new(),
            image_depth: 0,
            image_alt: String::new(),
            image_offset: 0,
            verbatim_link_depth: 0,
            html_depth: 0,
            raw_verbatim: 0,
            prev_char: None,
            table: None,
        }
    }

    /// Takes the next event; prose text (outside code blocks) comes typeset (`typeset`).
    fn feed(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Some((lang, code)) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let html = highlight::cached_code_block(
                        code,
                        lang.as_deref(),
                        self.options.highlight,
                        self.options.code_cache,
                    );
                    self.code = None;
                    self.depth -= 1;
                    self.emit(Event::Html(html.into()));
                    self.after_block();
                }
                _ => {}
            }
            return;
        }
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            let (change, deepest) = raw_depth_change(html);
            self.note_depth(range.start, self.html_depth + deepest);
            self.html_depth = self.html_depth.saturating_add_signed(change);
            self.raw_verbatim = self
                .raw_verbatim
                .saturating_add_signed(raw_verbatim_change(html));
        } else if matches!(event, Event::Start(_)) {
            self.note_depth(range.start, self.html_depth);
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.prev_char = Some('x');
                // A heading's id keeps the words of its code: `## Using `cargo` today`.
                if let Some(heading) = &mut self.heading {
                    heading.4.push_str(&code);
                    self.heading_source.push_str(&code);
                }
                self.emit(Event::Code(code));
            }
            Event::Html(html) | Event::InlineHtml(html) if is_more_marker(&html) => {
                if self.cut.is_none() {
                    self.pending_cut = true;
                }
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Html(html) => {
                let html = self.raw_html(&html, range.start);
                self.emit(Event::Html(html.into()));
            }
            Event::InlineHtml(html) => {
                let html = self.raw_html(&html, range.start);
                self.emit(Event::InlineHtml(html.into()));
            }
            other => self.emit(other),
        }
    }

    /// Raw HTML with its links and images resolved as Markdown's are (script links are
    /// left as the writer wrote them: raw HTML is theirs).
    fn raw_html(&mut self, html: &str, offset: usize) -> String {
        raw_html::rewrite_urls(html, &mut |url| {
            if urls::script_scheme(url).is_some() {
                url.to_string()
            } else {
                self.destination(url, offset)
            }
        })
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        self.depth += 1;
        if matches!(
            tag,
            Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell | Tag::BlockQuote(_)
        ) {
            self.prev_char = None;
        }
        match tag {
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((lang, String::new()));
            }
            Tag::Heading {
                level, id, classes, ..
            } => {
                let classes = classes.iter().map(|c| c.to_string()).collect();
                self.heading_source.clear();
                self.heading_markup = self.body.get(range).map(heading_markup).unwrap_or_default();
                self.heading = Some((
                    level as u32,
                    id.map(|i| i.to_string()),
                    classes,
                    Vec::new(),
                    String::new(),
                ));
            }
            Tag::FootnoteDefinition(label) => {
                self.footnote = Some(FootnoteDef {
                    label: label.to_string(),
                    events: Vec::new(),
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    self.verbatim_link_depth += 1;
                }
                // `<name@example.org>`: pulldown-cmark writes `mailto:` before the address.
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    self.destination(&dest_url, range.start).into()
                };
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Table(alignments) => {
                // A table whose first column is text (not right-aligned or centred figures)
                // names its rows with it, as a comparison or a timeline does.
                let row_labels = alignments.len() > 1
                    && matches!(alignments[0], Alignment::None | Alignment::Left);
                self.table = Some(TableShape {
                    alignments: alignments.clone(),
                    row_labels,
                    in_head: false,
                    cell: 0,
                    close: "</td>",
                });
                self.emit(Event::Start(Tag::Table(alignments)));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.in_head |= tag == Tag::TableHead;
                    table.cell = 0;
                }
                self.emit(Event::Start(tag));
            }
            Tag::TableCell => {
                let empty = self.body.get(range).is_none_or(|s| {
                    s.trim_matches(|c: char| c.is_whitespace() || c == '|')
                        .is_empty()
                });
                let html = self.table_cell(empty);
                self.emit(Event::Html(html.into()));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.image_depth += 1;
                self.image_alt.clear();
                self.image_offset = range.start;
                let dest_url = self.destination(&dest_url, range.start).into();
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => self.emit(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        self.depth = self.depth.saturating_sub(1);
        match tag {
            TagEnd::Heading(_) => self.finish_heading(),
            TagEnd::FootnoteDefinition => {
                if let Some(def) = self.footnote.take() {
                    self.footnotes.push(def);
                }
            }
            TagEnd::Link => {
                self.verbatim_link_depth = self.verbatim_link_depth.saturating_sub(1);
                self.emit(Event::End(tag));
            }
            TagEnd::TableCell => {
                let close = self.table.as_mut().map_or("</td>", |table| {
                    table.cell += 1;
                    table.close
                });
                self.emit(Event::Html(close.into()));
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = false;
                }
                self.emit(Event::End(tag));
            }
            TagEnd::Table => {
                self.table = None;
                self.emit(Event::End(tag));
            }
            TagEnd::Image => {
                self.image_depth = self.image_depth.saturating_sub(1);
                if self.image_depth == 0 && self.image_alt.trim().is_empty() {
                    self.rendered.images_without_alt.push(self.image_offset);
                }
                self.emit(Event::End(tag));
            }
            other => self.emit(Event::End(other)),
        }
        self.after_block();
    }

    /// The start tag of the table's next cell (its end tag is kept for `TagEnd::TableCell`):
    /// header cells are column headers, the first cell of a body row is its row's header
    /// when the first column names the rows, and an empty top-left cell is no header at all.
    fn table_cell(&mut self, empty: bool) -> String {
        let Some(table) = &mut self.table else {
            return "<td>".into();
        };
        let align = match table.alignments.get(table.cell) {
            Some(Alignment::Left) => " style=\"text-align: left\"",
            Some(Alignment::Center) => " style=\"text-align: center\"",
            Some(Alignment::Right) => " style=\"text-align: right\"",
            _ => "",
        };
        let first = table.cell == 0 && table.row_labels;
        let (open, close) = match (table.in_head, first) {
            (true, true) if empty => ("<td", "</td>"),
            (true, _) => ("<th scope=\"col\"", "</th>"),
            (false, true) => ("<th scope=\"row\"", "</th>"),
            (false, false) => ("<td", "</td>"),
        };
        table.close = close;
        format!("{open}{align}>")
    }

    /// Warns of another engine's shortcodes left in prose (`{{< youtube … >}}`,
    /// `{{ figure(…) }}`, `{% note %}`): gazette has none, so they would show as text.
    fn note_shortcodes(&mut self, text: &str, offset: usize) {
        let mut from = 0;
        while let Some(at) = text[from..].find('{').map(|n| from + n) {
            let Some(shortcode) = shortcode_at(&text[at..]) else {
                from = at + 1;
                continue;
            };
            from = at + shortcode.len();
            self.rendered.warnings.push(Problem {
                offset: offset + at,
                message: format!(
                    "{shortcode} looks like another engine's shortcode: gazette has none, so it \
                     shows as text; write the HTML it stood for (or a link), or put it in \
                     backticks to show it as code"
                ),
            });
        }
    }

    /// Records where the body first nests too deeply, if it does: `html_depth` elements of
    /// raw HTML are open inside the Markdown blocks open here.
    fn note_depth(&mut self, offset: usize, html_depth: usize) {
        let depth = self.depth + 1 + html_depth;
        if depth > MAX_DEPTH && self.rendered.too_deep.is_none() {
            let at = crate::error::Location::from_offset("", self.body, offset, 0);
            self.rendered.too_deep = Some(TooDeep {
                line: at.line,
                col: at.col,
                depth,
            });
        }
    }

    /// Records the summary cut once a top-level block holding the marker has closed.
    fn after_block(&mut self) {
        if self.depth == 0 && self.pending_cut && self.footnote.is_none() {
            self.cut = Some(self.out.len());
            self.pending_cut = false;
        }
    }

    /// `text` as the page shows it: French spacing but in image descriptions and links that
    /// show their own address. Counts its words and keeps its last character for the next.
    fn typeset(&mut self, text: CowStr<'a>, escaped: bool) -> CowStr<'a> {
        if self.image_depth > 0 {
            return text;
        }
        self.rendered.words += count_words(&text);
        let as_written = escaped || self.verbatim_link_depth > 0 || self.raw_verbatim > 0;
        let rules = match (self.options.french, self.options.english) {
            (true, _) => Some(crate::typography::Rules::French),
            (false, true) => Some(crate::typography::Rules::English),
            (false, false) => None,
        };
        let text: CowStr<'a> = match rules {
            Some(rules) if !as_written => {
                crate::typography::typeset_after(rules, &text, self.prev_char).into()
            }
            _ => text,
        };
        if let Some(last) = text.chars().last() {
            self.prev_char = Some(last);
        }
        text
    }

    /// Typeset text (`typeset`) into the page.
    fn text(&mut self, text: CowStr<'a>) {
        if self.image_depth > 0 {
            self.image_alt.push_str(&text);
        } else if let Some(heading) = &mut self.heading {
            heading.4.push_str(&text);
        }
        self.emit(Event::Text(text));
    }

    fn destination(&mut self, dest: &str, offset: usize) -> String {
        if let Some(scheme) = urls::script_scheme(dest) {
            self.rendered.warnings.push(Problem {
                offset,
                message: format!(
                    "a {scheme}: link runs code or hides content in the reader's browser: it was \
                     left out (write it in raw HTML if you mean it)"
                ),
            });
            return "#".into();
        }
        let url = match dest.strip_prefix("@/") {
            Some(target) => match (self.options.resolve)(target) {
                Ok(url) => url,
                Err(message) => {
                    self.rendered.errors.push(Problem { offset, message });
                    return "#".into();
                }
            },
            None => urls::absolutize(dest, self.options.page_url, self.options.base_url),
        };
        self.rendered.links.push((offset, url.clone()));
        url
    }

    /// Sends an event to whatever is being collected: a heading, a footnote, or the page.
    fn emit(&mut self, event: Event<'a>) {
        if let Some(heading) = &mut self.heading {
            heading.3.push(event);
        } else if let Some(def) = &mut self.footnote {
            def.events.push(event);
        } else {
            self.out.push(event);
        }
    }

    fn unique_id(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() {
            "section".to_string()
        } else {
            wanted.to_string()
        };
        let mut id = base.clone();
        while let Some(count) = self.ids.get_mut(&id) {
            *count += 1;
            id = format!("{base}-{count}");
        }
        self.ids.insert(id.clone(), 0);
        id
    }

    fn finish_heading(&mut self) {
        let Some((level, mut explicit_id, mut classes, mut events, mut text)) = self.heading.take()
        else {
            return;
        };
        // `## Title {#id .class}`: only a block of such attributes counts, so that
        // `## The set {a, b}` keeps its braces.
        if let Some(Event::Text(last)) = events.last()
            && let Some((kept, id, found)) = split_attributes(last)
        {
            // The heading's plain text ends with the last text event: drop the block there too.
            let dropped = last.len() - kept.len();
            text.truncate(text.len().saturating_sub(dropped));
            let kept = kept.trim_end().to_string();
            explicit_id = id.or(explicit_id);
            classes.extend(found);
            if let Some(event) = events.last_mut() {
                *event = Event::Text(kept.into());
            }
        }
        let id = match explicit_id {
            Some(id) => self.unique_id(&id),
            None => {
                let source = std::mem::take(&mut self.heading_source);
                let markup = std::mem::take(&mut self.heading_markup);
                // Hugo (Goldmark) reads the heading's Markdown: `## Les _modelines_` is
                // `les-_modelines_` there; kramdown reads its text, as gazette does.
                let written = match self.options.heading_ids {
                    HeadingIds::Hugo if !markup.is_empty() => markup,
                    _ => source,
                };
                self.unique_id(&heading_id(self.options.heading_ids, &written))
            }
        };
        let mut inner = String::new();
        html::push_html(&mut inner, events.into_iter());
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_html(&classes.join(" ")))
        };
        self.flat_toc
            .push((level, id.clone(), text.trim().to_string()));
        let html = format!(
            "<h{level} id=\"{}\"{class}>{inner}</h{level}>\n",
            escape_html(&id)
        );
        self.emit(Event::Html(html.into()));
    }

    fn footnote_id(&self, label: &str) -> String {
        let label = slug::slugify(label);
        format!("{}fn-{label}", self.options.id_prefix)
    }

    fn footnote_reference(&mut self, label: &str) {
        let next = self.footnote_numbers.len() + 1;
        let entry = self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert((next, 0));
        entry.1 += 1;
        let (number, uses) = *entry;
        let target = self.footnote_id(label);
        let back = if uses == 1 {
            format!("{target}-ref")
        } else {
            format!("{target}-ref-{uses}")
        };
        let html = format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{}\">{number}</a></sup>",
            escape_html(&target),
            escape_html(&back)
        );
        self.prev_char = Some('x');
        self.emit(Event::InlineHtml(html.into()));
    }

    fn footnotes_html(&mut self) -> String {
        if self.footnotes.is_empty() {
            return String::new();
        }
        let mut defs = std::mem::take(&mut self.footnotes);
        let unreferenced = self.footnote_numbers.len();
        defs.sort_by_key(|d| {
            self.footnote_numbers
                .get(&d.label)
                .map_or(usize::MAX, |n| n.0)
        });
        let mut html = String::from("<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n");
        for (index, def) in defs.into_iter().enumerate() {
            let id = self.footnote_id(&def.label);
            let referenced = index < unreferenced;
            html.push_str(&format!("<li id=\"{}\">", escape_html(&id)));
            html::push_html(&mut html, def.events.into_iter());
            if referenced {
                html.push_str(&format!(
                    "<a href=\"#{}-ref\" class=\"footnote-back\" role=\"doc-backlink\">↩</a>",
                    escape_html(&id)
                ));
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n</section>\n");
        html
    }

    fn finish(mut self) -> Rendered {
        if self.pending_cut {
            self.cut = Some(self.out.len());
        }
        let footnotes = self.footnotes_html();
        let mut out = std::mem::take(&mut self.out);
        let mut rendered = std::mem::take(&mut self.rendered);
        let mut html = String::with_capacity(out.len() * 16);
        if let Some(cut) = self.cut {
            let rest = out.split_off(cut.min(out.len()));
            html::push_html(&mut html, out.into_iter());
            rendered.summary = Some(html.clone());
            html::push_html(&mut html, rest.into_iter());
        } else {
            html::push_html(&mut html, out.into_iter());
        }
        html.push_str(&footnotes);
        // Kept for the whole build: no spare capacity.
        html.shrink_to_fit();
        rendered.html = html;
        rendered.toc = nest(std::mem::take(&mut self.flat_toc));
        rendered.reading_minutes = rendered
            .words
            .div_ceil(self.options.words_per_minute)
            .max(1);
        rendered
    }
}

/// How many elements a fragment of raw HTML leaves open, and how many it opens at its
/// deepest: +1 for each start tag, -1 for each end tag, nothing for void elements,
/// self-closing tags, comments and elements whose end tag HTML lets one leave out (which
/// would otherwise count as ever deeper). An estimate, for `MAX_DEPTH` only: it never
/// changes what the page shows.
fn raw_depth_change(html: &str) -> (isize, usize) {
    const NO_END: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
    ];
    let mut change: isize = 0;
    let mut deepest = 0;
    for (name, closing, self_closing) in events::raw_tags(html) {
        if NO_END.contains(&name.as_str()) || self_closing {
            continue;
        }
        change += if closing { -1 } else { 1 };
        deepest = deepest.max(change.max(0).unsigned_abs());
    }
    (change, deepest)
}

/// How many raw HTML elements whose text is code, not prose, a fragment leaves open:
/// typography never touches text inside them.
fn raw_verbatim_change(html: &str) -> isize {
    const VERBATIM: &[&str] = &[
        "code", "kbd", "samp", "pre", "script", "style", "textarea", "var", "math", "svg",
    ];
    events::raw_tags(html)
        .filter(|(name, _, self_closing)| !self_closing && VERBATIM.contains(&name.as_str()))
        .map(|(_, closing, _)| if closing { -1 } else { 1 })
        .sum()
}

/// The shortcode `text` starts with, if it does: Hugo's `{{< name … >}}` and
/// `{{% name … %}}`, Zola's `{{ name(…) }}` and `{% name(…) %}`, Liquid's `{% name … %}`.
fn shortcode_at(text: &str) -> Option<&str> {
    let (open, close) = if text.starts_with("{{<") {
        ("{{<", ">}}")
    } else if text.starts_with("{{%") {
        ("{{%", "%}}")
    } else if text.starts_with("{{") {
        ("{{", "}}")
    } else if text.starts_with("{%") {
        ("{%", "%}")
    } else {
        return None;
    };
    let end = text.find(close)? + close.len();
    let inner = text[open.len()..end - close.len()]
        .trim()
        .trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    // `{{ x }}` in prose is most often not a shortcode: Zola's need a call, `name(…)`.
    let called = inner[name.len()..].trim_start().starts_with('(');
    let is_shortcode = !name.is_empty() && (open != "{{" || called) && !inner.contains('\n');
    is_shortcode.then(|| &text[..end])
}

/// A heading's Markdown without its marks: `## Les _modelines_ ## {#id}` -> `Les
/// _modelines_`; a setext heading's lines joined. Empty when it cannot be told.
fn heading_markup(block: &str) -> String {
    let block = block.trim_end();
    let first = block.lines().next().unwrap_or("").trim_start();
    let text = if let Some(rest) = first.strip_prefix('#') {
        let text = rest.trim_start_matches('#').trim();
        // An optional closing run of `#`, after a space.
        let open = text.trim_end_matches('#');
        match open.is_empty() || open.ends_with(' ') {
            true => open.trim_end().to_string(),
            false => text.to_string(),
        }
    } else {
        let lines: Vec<&str> = block.lines().collect();
        let text = lines[..lines.len().saturating_sub(1)]
            .iter()
            .map(|l| l.trim());
        text.collect::<Vec<_>>().join(" ")
    };
    match split_attributes(&text) {
        Some((kept, _, _)) => kept.trim_end().to_string(),
        None => text,
    }
}

/// A heading's id from its text, as `style`'s engine makes it.
fn heading_id(style: HeadingIds, text: &str) -> String {
    match style {
        HeadingIds::Gazette | HeadingIds::Zola => slug::slugify(text),
        // Goldmark's: lowercase; letters and digits of any script, `-` and `_` kept, spaces
        // become `-`, anything else goes.
        HeadingIds::Hugo => text
            .trim()
            .chars()
            .filter_map(|c| match c {
                c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                c if c.is_whitespace() => Some('-'),
                _ => None,
            })
            .flat_map(char::to_lowercase)
            .collect(),
        // Jekyll 4's (kramdown's GFM parser, its default input): lowercase; letters, marks and
        // digits of any script, `_` and `-` kept; each space or tab becomes `-`.
        HeadingIds::Jekyll => text
            .trim()
            .chars()
            .flat_map(char::to_lowercase)
            .filter_map(|c| match c {
                ' ' | '\t' => Some('-'),
                c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                _ => None,
            })
            .collect(),
    }
}

/// `Title {#id .class}` -> ("Title ", the id, the classes), if the text ends with a block
/// of attributes and nothing else: `#id`, `.class` and `key=value` words in braces.
fn split_attributes(text: &str) -> Option<(&str, Option<String>, Vec<String>)> {
    let body = text.trim_end().strip_suffix('}')?;
    let open = body.rfind('{')?;
    let (kept, inner) = (&body[..open], &body[open + 1..]);
    let name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
    };
    let mut id = None;
    let mut classes = Vec::new();
    for word in inner.split_whitespace() {
        if let Some(value) = word.strip_prefix('#').filter(|v| name(v)) {
            id = Some(value.to_string());
        } else if let Some(value) = word.strip_prefix('.').filter(|v| name(v)) {
            classes.push(value.to_string());
        } else if !word
            .split_once('=')
            .is_some_and(|(k, v)| name(k) && !v.is_empty())
        {
            return None;
        }
    }
    (id.is_some() || !classes.is_empty()).then_some((kept, id, classes))
}

/// Flat (level, id, title) headings -> a tree, each heading holding the deeper ones after it.
fn nest(flat: Vec<(u32, String, String)>) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for (level, id, title) in flat {
        let heading = Heading {
            level,
            id,
            title,
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < level) {
            siblings = &mut siblings
                .last_mut()
                .expect("checked by is_some_and")
                .children;
        }
        siblings.push(heading);
    }
    roots
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod commonmark;
