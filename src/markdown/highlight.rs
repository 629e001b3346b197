//! Fenced code -> HTML with syntect's CSS classes (`hl-…`), so one stylesheet serves light
//! and dark modes, and the email edition can inline it. Unknown languages give plain code.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::escape_html;

/// Cache keys only live in this process: a fast hash with fixed seeds will do.
static HASH_STATE: ahash::RandomState = ahash::RandomState::with_seeds(1, 2, 3, 4);

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// syntect's syntaxes plus two-face's (TOML, TypeScript, Dockerfile…), loaded once.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Highlighted code by (language, code): a bilingual site shows each block twice, and
/// `serve` re-renders unchanged blocks on every save.
#[derive(Default)]
pub struct CodeCache {
    blocks: Mutex<HashMap<u64, Arc<str>>>,
}

impl CodeCache {
    fn key(code: &str, lang: Option<&str>, highlight: bool) -> u64 {
        HASH_STATE.hash_one((code, lang, highlight))
    }
}

/// `code_block`, remembered in `cache` when there is one.
pub fn cached_code_block(
    code: &str,
    lang: Option<&str>,
    highlight: bool,
    cache: Option<&CodeCache>,
) -> String {
    let Some(cache) = cache else {
        return code_block(code, lang, highlight);
    };
    let key = CodeCache::key(code, lang, highlight);
    if let Some(html) = cache.blocks.lock().ok().and_then(|b| b.get(&key).cloned()) {
        return html.to_string();
    }
    let html = code_block(code, lang, highlight);
    if let Ok(mut blocks) = cache.blocks.lock() {
        blocks.insert(key, Arc::from(html.as_str()));
    }
    html
}

/// `<pre><code>` for a fenced block; `lang` is the info string's first word.
pub fn code_block(code: &str, lang: Option<&str>, highlight: bool) -> String {
    let lang = lang.filter(|l| !l.is_empty());
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", escape_html(l)))
        .unwrap_or_default();
    let data_lang = lang
        .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
        .unwrap_or_default();
    let body = lang
        .filter(|_| highlight)
        .and_then(|l| highlighted(code, l))
        .unwrap_or_else(|| escape_html(code));
    format!("<pre class=\"code\"{data_lang}><code{class}>{body}</code></pre>\n")
}

fn highlighted(code: &str, lang: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))?;
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans = 0;
    LINES.with_borrow_mut(|lines| -> Option<()> {
        for line in LinesWithEndings::from(code) {
            let parsed = lines.parse(&syntax.name, &mut state, line, set)?;
            let (spans, delta) =
                line_tokens_to_classed_spans(line, parsed, CLASS_STYLE, &mut scopes).ok()?;
            open_spans += delta;
            html.push_str(&spans);
        }
        Some(())
    })?;
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

thread_local! {
    static LINES: RefCell<LineCache> = RefCell::new(LineCache::default());
}

/// Parsed lines by (syntax, state before, text), per thread. Parsing is syntect's costliest
/// step (a hundred regex searches a line), and code repeats lines across blocks: closing
/// braces, blank lines, imports, and in `serve` every line of a block but the one edited.
/// Reusing a line's parse needs the same state before it; the cached state after it then
/// carries on.
#[derive(Default)]
struct LineCache {
    entries: HashMap<u64, Vec<ParsedLine>>,
    len: usize,
}

struct ParsedLine {
    /// The syntax's name, from the process-wide set.
    syntax: &'static str,
    text: Box<str>,
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

impl LineCache {
    /// Enough for the distinct lines of a large site's code, a few MB a thread.
    const CAPACITY: usize = 20_000;

    /// The scope operations of `line`, parsed from `state`, which moves past it.
    fn parse(
        &mut self,
        syntax: &'static str,
        state: &mut ParseState,
        line: &str,
        set: &SyntaxSet,
    ) -> Option<&[(usize, ScopeStackOp)]> {
        let key = HASH_STATE.hash_one((syntax, line));
        let found = self.entries.get(&key).and_then(|same_key| {
            same_key
                .iter()
                .position(|p| p.before == *state && *p.text == *line && p.syntax == syntax)
        });
        let index = match found {
            Some(index) => index,
            None => {
                if self.len >= Self::CAPACITY {
                    self.entries.clear();
                    self.len = 0;
                }
                let before = state.clone();
                let ops = state.parse_line(line, set).ok()?;
                let same_key = self.entries.entry(key).or_default();
                same_key.push(ParsedLine {
                    syntax,
                    text: line.into(),
                    before,
                    ops,
                    after: state.clone(),
                });
                self.len += 1;
                same_key.len() - 1
            }
        };
        let parsed = self.entries.get(&key)?.get(index)?;
        if found.is_some() {
            state.clone_from(&parsed.after);
        }
        Some(&parsed.ops)
    }
}

/// The email edition's theme: light, on the light block code keeps in every mode.
fn light_theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        two_face::theme::extra()
            .get(two_face::theme::EmbeddedThemeName::InspiredGithub)
            .clone()
    })
}

/// The inside of a highlighted `<code>` (the `hl-` spans of `code_block`) with each run's
/// colour and weight in a `style` attribute instead, from the light theme. For the email
/// edition: mail clients need inline styles, and each token's span would otherwise cost the
/// CSS inliner more than all the prose around it. Remembered for the process: each block is
/// in the emails of both languages. Text that is not such spans is given back as it was.
pub fn inline_styled(classed: &str) -> Arc<str> {
    static STYLED: OnceLock<Mutex<HashMap<u64, Arc<str>>>> = OnceLock::new();
    let cache = STYLED.get_or_init(Default::default);
    let key = HASH_STATE.hash_one(classed);
    if let Some(styled) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return styled;
    }
    let styled: Arc<str> = Arc::from(restyle(classed).unwrap_or_else(|| classed.to_string()));
    if let Ok(mut cache) = cache.lock() {
        // A long `serve` session sees many versions of the blocks being edited.
        if cache.len() >= 20_000 {
            cache.clear();
        }
        cache.insert(key, styled.clone());
    }
    styled
}

fn restyle(classed: &str) -> Option<String> {
    type Fast = ahash::RandomState;
    thread_local! {
        // Computing a style is slow (syntect says so): a site has a few hundred distinct
        // scope stacks and class lists, and each thread keeps what it computed.
        static STYLES: RefCell<HashMap<Vec<Scope>, Style, Fast>> = RefCell::default();
        static SCOPES: RefCell<HashMap<String, Option<Scope>, Fast>> = RefCell::default();
        static CSS: RefCell<HashMap<Style, String, Fast>> = RefCell::default();
    }
    static HIGHLIGHTER: OnceLock<Highlighter<'static>> = OnceLock::new();
    let highlighter = HIGHLIGHTER.get_or_init(|| Highlighter::new(light_theme()));
    let default_foreground = highlighter.get_default().foreground;
    let scope_of = |classes: &str| {
        SCOPES.with_borrow_mut(|scopes| {
            if let Some(scope) = scopes.get(classes) {
                return *scope;
            }
            let name: Vec<&str> = classes
                .split(' ')
                .map(|class| class.strip_prefix("hl-").unwrap_or(class))
                .collect();
            let scope = Scope::new(&name.join(".")).ok();
            scopes.insert(classes.to_string(), scope);
            scope
        })
    };
    let style_of = |stack: &[Scope]| {
        STYLES.with_borrow_mut(|styles| match styles.get(stack) {
            Some(style) => *style,
            None => {
                let style = highlighter.style_for_stack(stack);
                styles.insert(stack.to_vec(), style);
                style
            }
        })
    };
    let mut out = String::with_capacity(classed.len());
    // Adjacent runs of one style share a span: the style of the run being written, and whether
    // it has a span to close.
    let mut current: Option<(Style, bool)> = None;
    // The scope of each open span (None for a class list that is not a scope).
    let mut open: Vec<Option<Scope>> = Vec::new();
    let mut stack: Vec<Scope> = Vec::new();
    let mut rest = classed;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<span class=\"") {
            let end = after.find("\">")?;
            open.push(scope_of(&after[..end]));
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            open.pop()?;
            rest = after;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            stack.clear();
            stack.extend(open.iter().flatten());
            let style = style_of(&stack);
            if current.is_none_or(|(written, _)| written != style) {
                if let Some((_, true)) = current {
                    out.push_str("</span>");
                }
                let spanned = CSS.with_borrow_mut(|css| {
                    let css = css
                        .entry(style)
                        .or_insert_with(|| inline_css(style, default_foreground));
                    if !css.is_empty() {
                        out.push_str("<span style=\"");
                        out.push_str(css);
                        out.push_str("\">");
                    }
                    !css.is_empty()
                });
                current = Some((style, spanned));
            }
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    if let Some((_, true)) = current {
        out.push_str("</span>");
    }
    Some(out)
}

/// `color:#…;font-weight:bold` for what `style` changes from the default text.
fn inline_css(style: Style, default_foreground: Color) -> String {
    let mut css = Vec::new();
    let Color { r, g, b, a } = style.foreground;
    if style.foreground != default_foreground && a > 0 {
        css.push(format!("color:#{r:02x}{g:02x}{b:02x}"));
    }
    if style.font_style.contains(FontStyle::BOLD) {
        css.push("font-weight:bold".to_string());
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        css.push("font-style:italic".to_string());
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        css.push("text-decoration:underline".to_string());
    }
    css.join(";")
}

/// The light theme alone: for the email edition, where code keeps a light background.
/// Generated once: every email of a build includes it.
pub fn light_stylesheet() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        css_for_theme_with_class_style(light_theme(), CLASS_STYLE).unwrap_or_default()
    })
}

/// The stylesheet for the `hl-` classes: a light theme, and a dark one under
/// `prefers-color-scheme: dark`. The default theme ships its output as `static/syntax.css`.
pub fn stylesheet() -> String {
    use two_face::theme::EmbeddedThemeName as Name;
    let themes = two_face::theme::extra();
    let light = css_for_theme_with_class_style(themes.get(Name::InspiredGithub), CLASS_STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(Name::OneHalfDark), CLASS_STYLE)
        .unwrap_or_default();
    format!(
        "/* Syntax highlighting for gazette's hl- classes. Generated: see src/markdown/highlight.rs. */\n\
         {light}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What syntect's own generator makes of `code`, line state carried from line to line.
    fn reference(code: &str, lang: &str) -> String {
        let set = syntaxes();
        let syntax = set.find_syntax_by_token(lang).unwrap();
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    #[test]
    fn cached_lines_highlight_as_syntect_does() {
        // The same lines inside and outside a block comment and a string: a line's parse is
        // reused only from the same state.
        let rust =
            "let a = 1;\n/* start\nlet a = 1;\n*/\nlet a = 1;\nlet s = \"\nlet a = 1;\n\";\n";
        let python = "x = 1\n'''\nx = 1\n'''\nx = 1\n";
        let shell = "echo \"$HOME\"\ncat <<EOF\necho \"$HOME\"\nEOF\necho \"$HOME\"\n";
        for _ in 0..2 {
            for (code, lang) in [(rust, "rust"), (python, "python"), (shell, "bash")] {
                assert_eq!(
                    highlighted(code, lang).unwrap(),
                    reference(code, lang),
                    "{lang}"
                );
            }
        }
        // A line first met as the second of a block, then as the first.
        let tail = "let a = 1;\n*/\n";
        assert_eq!(highlighted(tail, "rust").unwrap(), reference(tail, "rust"));
        let lines: Vec<String> = highlighted(rust, "rust")
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        assert_ne!(
            lines[2], lines[0],
            "a line in a comment is not highlighted as code"
        );
    }

    #[test]
    fn known_language_gets_classes() {
        let html = code_block("fn main() {}\n", Some("rust"), true);
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(
            html.starts_with(
                "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"
            )
        );
    }

    #[test]
    fn email_code_carries_its_colours_inline() {
        let html = code_block("fn main() { let x = \"<b>\"; }\n", Some("rust"), true);
        let inner = &html[html.find("<code").unwrap()..];
        let inner = &inner[inner.find('>').unwrap() + 1..inner.find("</code>").unwrap()];
        let styled = inline_styled(inner);
        assert!(!styled.contains("class="), "{styled}");
        assert!(styled.contains("<span style=\"color:#"), "{styled}");
        assert!(styled.contains("font-weight:bold\">fn</span>"), "{styled}");
        assert!(styled.contains("&lt;b&gt;"), "text stays escaped: {styled}");
        let text = |html: &str| {
            let mut out = String::new();
            let mut tag = false;
            for c in html.chars() {
                match c {
                    '<' => tag = true,
                    '>' if tag => tag = false,
                    c if !tag => out.push(c),
                    _ => {}
                }
            }
            out
        };
        assert_eq!(text(&styled), text(inner), "the same text, in order");
        assert_eq!(&*inline_styled("plain &amp; text"), "plain &amp; text");
        assert_eq!(&*inline_styled("<b>not ours</b>"), "<b>not ours</b>");
    }

    #[test]
    fn toml_is_known() {
        assert!(code_block("a = 1\n", Some("toml"), true).contains("hl-"));
    }

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let html = code_block("<b>&</b>\n", Some("nosuchlang"), true);
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
        assert!(!html.contains("hl-"));
    }

    /// The theme's syntax.css must be what this code generates. Regenerate with
    /// `GAZETTE_BLESS=1 cargo test syntax_css`.
    #[test]
    fn syntax_css_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/syntax.css"
        );
        let css = stylesheet();
        if std::env::var_os("GAZETTE_BLESS").is_some() {
            std::fs::write(path, &css).expect("writing the theme's syntax.css");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == css,
            "themes/default/static/syntax.css is stale: run GAZETTE_BLESS=1 cargo test syntax_css"
        );
    }
}
