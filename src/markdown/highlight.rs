//! Fenced code -> HTML with syntect's CSS classes (`hl-…`), so one stylesheet serves light
//! and dark modes, and the email edition can inline it. Unknown languages give plain code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::escape_html;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// syntect's syntaxes plus two-face's (TOML, TypeScript, Dockerfile…), loaded once.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// What one build (or a `serve` session) has highlighted: whole blocks by (language, code),
/// since a bilingual site shows each block in every language and `serve` renders unchanged
/// blocks again on every save; and the parse of each line by (syntax, state before it,
/// text), since code repeats lines (closing braces, imports) and parsing is syntect's
/// costliest step, a hundred regex searches a line. See bench/README.md for the figures.
#[derive(Default)]
pub(crate) struct CodeCache {
    blocks: Mutex<HashMap<BlockKey, Arc<str>>>,
    lines: Mutex<HashMap<u64, Vec<ParsedLine>>>,
}

/// (language, code)
type BlockKey = (Option<String>, String);

struct ParsedLine {
    syntax: &'static str,
    text: Box<str>,
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

impl CodeCache {
    /// Enough for the distinct lines of a large site's code (a few MB); a long `serve`
    /// session starts afresh past it.
    const LINES: usize = 50_000;

    /// The scope operations of `line`, parsed from `state`, which moves past it.
    fn parse_line(
        &self,
        syntax: &'static str,
        state: &mut ParseState,
        line: &str,
        set: &SyntaxSet,
    ) -> Option<Vec<(usize, ScopeStackOp)>> {
        use std::hash::{BuildHasher, RandomState};
        static HASHER: OnceLock<RandomState> = OnceLock::new();
        let key = HASHER
            .get_or_init(RandomState::new)
            .hash_one((syntax, line));
        if let Ok(lines) = self.lines.lock() {
            let found = lines.get(&key).and_then(|same| {
                same.iter()
                    .find(|p| p.syntax == syntax && &*p.text == line && p.before == *state)
            });
            if let Some(parsed) = found {
                state.clone_from(&parsed.after);
                return Some(parsed.ops.clone());
            }
        }
        let before = state.clone();
        let ops = state.parse_line(line, set).ok()?;
        if let Ok(mut lines) = self.lines.lock() {
            if lines.len() >= Self::LINES {
                lines.clear();
            }
            lines.entry(key).or_default().push(ParsedLine {
                syntax,
                text: line.into(),
                before,
                ops: ops.clone(),
                after: state.clone(),
            });
        }
        Some(ops)
    }
}

/// `code_block`, remembered in `cache` when there is one.
pub(crate) fn cached_code_block(
    code: &str,
    lang: Option<&str>,
    highlight: bool,
    cache: Option<&CodeCache>,
) -> String {
    let Some(cache) = cache.filter(|_| highlight) else {
        return code_block(code, lang, highlight);
    };
    let key = (lang.map(str::to_string), code.to_string());
    if let Some(html) = cache.blocks.lock().ok().and_then(|b| b.get(&key).cloned()) {
        return html.to_string();
    }
    let html = highlighted_block(code, lang, Some(cache));
    if let Ok(mut blocks) = cache.blocks.lock() {
        blocks.insert(key, Arc::from(html.as_str()));
    }
    html
}

/// `<pre><code>` for a fenced block; `lang` is the info string's first word.
pub(crate) fn code_block(code: &str, lang: Option<&str>, highlight: bool) -> String {
    if highlight {
        highlighted_block(code, lang, None)
    } else {
        plain_block(code, lang, None)
    }
}

fn highlighted_block(code: &str, lang: Option<&str>, cache: Option<&CodeCache>) -> String {
    let lang = lang.filter(|l| !l.is_empty());
    let body = lang.and_then(|l| highlighted(code, l, cache));
    plain_block(code, lang, body)
}

/// The block, with `body` (highlighted) or the code escaped.
fn plain_block(code: &str, lang: Option<&str>, body: Option<String>) -> String {
    let lang = lang.filter(|l| !l.is_empty());
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", escape_html(l)))
        .unwrap_or_default();
    let data_lang = lang
        .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
        .unwrap_or_default();
    let body = body.unwrap_or_else(|| escape_html(code));
    format!("<pre class=\"code\"{data_lang}><code{class}>{body}</code></pre>\n")
}

fn highlighted(code: &str, lang: &str, cache: Option<&CodeCache>) -> Option<String> {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))?;
    let name = syntax.name.as_str();
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans = 0;
    for line in LinesWithEndings::from(code) {
        let parsed = match cache {
            Some(cache) => cache.parse_line(name, &mut state, line, set)?,
            None => state.parse_line(line, set).ok()?,
        };
        let (spans, delta) =
            line_tokens_to_classed_spans(line, &parsed, CLASS_STYLE, &mut scopes).ok()?;
        open_spans += delta;
        html.push_str(&spans);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
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

/// Turns the `hl-` class spans of highlighted code into spans with the light theme's colours
/// in a `style` attribute, for the email edition: mail clients need inline styles. Adjacent
/// runs of one style share a span. One per build: it remembers each block it restyled (the
/// emails of every language show the same blocks) and the styles it computed (syntect says
/// computing one is slow, and a site uses a few hundred).
pub(crate) struct Restyler {
    highlighter: Highlighter<'static>,
    blocks: Mutex<HashMap<String, Arc<str>>>,
    styles: Mutex<Styles>,
}

#[derive(Default)]
struct Styles {
    by_stack: HashMap<Vec<Scope>, Style>,
    scopes: HashMap<String, Option<Scope>>,
    css: HashMap<Style, String>,
}

impl Default for Restyler {
    fn default() -> Self {
        Restyler {
            highlighter: Highlighter::new(light_theme()),
            blocks: Mutex::default(),
            styles: Mutex::default(),
        }
    }
}

impl Restyler {
    /// The inside of a highlighted `<code>` (the spans `code_block` writes), restyled; text
    /// that is not such spans is given back as it was.
    pub(crate) fn restyle(&self, classed: &str) -> Arc<str> {
        if let Some(done) = self
            .blocks
            .lock()
            .ok()
            .and_then(|b| b.get(classed).cloned())
        {
            return done;
        }
        let restyled: Arc<str> = {
            let mut styles = self
                .styles
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            self.try_restyle(&mut styles, classed)
                .unwrap_or_else(|| classed.to_string())
                .into()
        };
        if let Ok(mut blocks) = self.blocks.lock() {
            blocks.insert(classed.to_string(), restyled.clone());
        }
        restyled
    }

    fn try_restyle(&self, styles: &mut Styles, classed: &str) -> Option<String> {
        let default_foreground = self.highlighter.get_default().foreground;
        let mut out = String::with_capacity(classed.len());
        // The style of the run being written, and whether it has a span to close.
        let mut current: Option<(Style, bool)> = None;
        // The scope of each open span (None for a class list that is not a scope).
        let mut open: Vec<Option<Scope>> = Vec::new();
        let mut stack: Vec<Scope> = Vec::new();
        let mut rest = classed;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("<span class=\"") {
                let end = after.find("\">")?;
                open.push(scope_of(styles, &after[..end]));
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
                let style = match styles.by_stack.get(&stack) {
                    Some(style) => *style,
                    None => {
                        let style = self.highlighter.style_for_stack(&stack);
                        styles.by_stack.insert(stack.clone(), style);
                        style
                    }
                };
                if current.is_none_or(|(written, _)| written != style) {
                    if let Some((_, true)) = current {
                        out.push_str("</span>");
                    }
                    let css = styles
                        .css
                        .entry(style)
                        .or_insert_with(|| inline_css(style, default_foreground));
                    if !css.is_empty() {
                        out.push_str("<span style=\"");
                        out.push_str(css);
                        out.push_str("\">");
                    }
                    current = Some((style, !css.is_empty()));
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
}

/// The scope a span's class list names (`hl-keyword hl-control` -> `keyword.control`).
fn scope_of(styles: &mut Styles, classes: &str) -> Option<Scope> {
    if let Some(scope) = styles.scopes.get(classes) {
        return *scope;
    }
    let name: Vec<&str> = classes
        .split(' ')
        .map(|class| class.strip_prefix("hl-").unwrap_or(class))
        .collect();
    let scope = Scope::new(&name.join(".")).ok();
    styles.scopes.insert(classes.to_string(), scope);
    scope
}

/// The background of code blocks in the default theme's `email.html`: the colours code takes
/// there are made readable on it.
const EMAIL_CODE_BACKGROUND: [u8; 3] = [0xf6, 0xf8, 0xfa];
/// WCAG's contrast for text of normal size (AA), with a margin for rounding.
const EMAIL_MIN_CONTRAST: f64 = 4.6;

/// `color:#…;font-weight:bold` for what `style` changes from the default text.
fn inline_css(style: Style, default_foreground: Color) -> String {
    let mut css = Vec::new();
    if style.foreground != default_foreground && style.foreground.a > 0 {
        let [r, g, b] =
            readable_in_email([style.foreground.r, style.foreground.g, style.foreground.b]);
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

/// `color`, darkened in its own hue until it reaches `EMAIL_MIN_CONTRAST` on the email's code
/// background: the light theme's greys, greens and blues are 2.7 to 3.9:1 there.
fn readable_in_email(color: [u8; 3]) -> [u8; 3] {
    let mut color = color;
    while contrast_ratio(color, EMAIL_CODE_BACKGROUND) < EMAIL_MIN_CONTRAST && color != [0, 0, 0] {
        color = color.map(|c| (f64::from(c) * 0.92).floor() as u8);
    }
    color
}

/// WCAG 2's contrast ratio of two sRGB colours.
fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The code block's background in each colour scheme: warm like the theme's paper (light
/// `--code-bg`; dark, a shade above the dark page), not the themes' own white and blue-grey.
#[cfg(test)]
const CODE_BACKGROUNDS: [(&str, [u8; 3]); 2] =
    [("light", [0xf3, 0xf0, 0xe8]), ("dark", [0x24, 0x22, 0x1f])];

/// The contrast every token's colour keeps with the block's background (WCAG AA for text).
#[cfg(test)]
const MIN_CONTRAST: f64 = 4.5;

/// The stylesheet for the `hl-` classes: a light theme (InspiredGitHub) and a dark one
/// (OneHalfDark), each under a media query that excludes the other, so that no rule of one
/// scheme outranks the other's by its specificity. The block's background is the theme's
/// (`CODE_BACKGROUNDS`), and every colour too faint on it is darkened (light) or lightened
/// (dark) until it reaches `MIN_CONTRAST`; rules' own backgrounds are left out, so that each
/// colour is read on the one background it was checked against. The default theme ships
/// the output as `static/syntax.css` (`syntax_css_is_current` checks it).
#[cfg(test)]
fn stylesheet() -> String {
    use syntect::html::css_for_theme_with_class_style;
    use two_face::theme::EmbeddedThemeName as Name;
    let themes = two_face::theme::extra();
    let mut css = String::from(
        "/* Syntax highlighting for gazette's hl- classes, light and dark. Generated by\n   \
         src/markdown/highlight.rs (stylesheet): GAZETTE_BLESS=1 cargo test syntax_css */\n",
    );
    for ((scheme, background), theme) in CODE_BACKGROUNDS
        .into_iter()
        .zip([Name::InspiredGithub, Name::OneHalfDark])
    {
        let generated =
            css_for_theme_with_class_style(themes.get(theme), CLASS_STYLE).unwrap_or_default();
        let query = match scheme {
            "dark" => "(prefers-color-scheme: dark)",
            _ => "not all and (prefers-color-scheme: dark)",
        };
        css.push_str(&format!("@media {query} {{\n"));
        for (selector, declarations) in css_rules(&generated) {
            let mut kept = Vec::new();
            for (property, value) in declarations {
                match property.as_str() {
                    "background-color" => {}
                    "color" => {
                        let color = parse_hex(&value)
                            .map_or(value, |c| to_hex(readable_on(c, background, MIN_CONTRAST)));
                        kept.push(format!("color: {color}"));
                    }
                    _ => kept.push(format!("{property}: {value}")),
                }
            }
            // The theme's default text and background: the block's.
            let (selector, kept) = if selector == ".hl-code" {
                kept.push(format!("background-color: {}", to_hex(background)));
                ("pre.code".to_string(), kept)
            } else {
                (selector, kept)
            };
            if !kept.is_empty() {
                css.push_str(&format!("{selector} {{ {}; }}\n", kept.join("; ")));
            }
        }
        css.push_str("}\n");
    }
    css
}

/// The rules of a stylesheet syntect generated: (selector, [(property, value)]).
#[cfg(test)]
fn css_rules(css: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut text = css.to_string();
    while let Some(start) = text.find("/*") {
        let end = text[start..]
            .find("*/")
            .map_or(text.len(), |n| start + n + 2);
        text.replace_range(start..end, "");
    }
    text.split('}')
        .filter_map(|rule| {
            let (selector, body) = rule.split_once('{')?;
            let declarations = body
                .split(';')
                .filter_map(|d| d.split_once(':'))
                .map(|(p, v)| (p.trim().to_string(), v.trim().to_string()))
                .collect();
            Some((
                selector.split_whitespace().collect::<Vec<_>>().join(" "),
                declarations,
            ))
        })
        .collect()
}

#[cfg(test)]
fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
fn to_hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG 2 relative luminance.
fn luminance(color: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color[0]) + 0.7152 * channel(color[1]) + 0.0722 * channel(color[2])
}

/// `color`, or the nearest mix of it with black (on a light background) or white (on a dark
/// one) that reads at `ratio` on `background`: the hue stays, the shade moves.
#[cfg(test)]
fn readable_on(color: [u8; 3], background: [u8; 3], ratio: f64) -> [u8; 3] {
    let target: f64 = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    (0..=100)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            color.map(|c| (f64::from(c) + (target - f64::from(c)) * t).round() as u8)
        })
        .find(|&mixed| contrast_ratio(mixed, background) >= ratio)
        .unwrap_or([target as u8; 3])
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
        let cache = CodeCache::default();
        let rust =
            "let a = 1;\n/* start\nlet a = 1;\n*/\nlet a = 1;\nlet s = \"\nlet a = 1;\n\";\n";
        let python = "x = 1\n'''\nx = 1\n'''\nx = 1\n";
        let shell = "echo \"$HOME\"\ncat <<EOF\necho \"$HOME\"\nEOF\necho \"$HOME\"\n";
        for _ in 0..2 {
            for (code, lang) in [(rust, "rust"), (python, "python"), (shell, "bash")] {
                assert_eq!(
                    highlighted(code, lang, Some(&cache)).unwrap(),
                    reference(code, lang),
                    "{lang}"
                );
            }
        }
        // A line first met as the second of a block, then as the first.
        let tail = "let a = 1;\n*/\n";
        assert_eq!(
            highlighted(tail, "rust", Some(&cache)).unwrap(),
            reference(tail, "rust")
        );
        let lines: Vec<String> = highlighted(rust, "rust", Some(&cache))
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
        let styled = Restyler::default().restyle(inner);
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
        let restyler = Restyler::default();
        assert_eq!(&*restyler.restyle("plain &amp; text"), "plain &amp; text");
        assert_eq!(&*restyler.restyle("<b>not ours</b>"), "<b>not ours</b>");
    }

    /// Every colour of syntax.css reads at 4.5:1 on the code block of its scheme, and each
    /// scheme's rules sit under a query that excludes the other's (no light rule can outrank
    /// a dark one by its specificity).
    #[test]
    fn every_token_colour_is_readable_in_both_schemes() {
        let css = stylesheet();
        let blocks: Vec<&str> = css.split("@media ").skip(1).collect();
        assert_eq!(blocks.len(), 2, "{css}");
        for (block, (scheme, background)) in blocks.iter().zip(CODE_BACKGROUNDS) {
            let query = block.lines().next().unwrap_or_default();
            assert_eq!(
                query.contains("not all and"),
                scheme == "light",
                "{scheme}: {query}"
            );
            let body = &block[block.find('{').unwrap() + 1..];
            let rules = css_rules(body);
            assert!(rules.len() > 20, "{scheme}: {} rules", rules.len());
            for (selector, declarations) in rules {
                for (property, value) in declarations {
                    if property == "background-color" {
                        assert_eq!(selector, "pre.code", "only the block has a background");
                        assert_eq!(parse_hex(&value), Some(background));
                    }
                    if property == "color" {
                        let color = parse_hex(&value).expect("hex colours");
                        let ratio = contrast_ratio(color, background);
                        assert!(
                            ratio >= MIN_CONTRAST,
                            "{scheme} {selector}: {value} at {ratio:.2}:1"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn contrast_is_wcag_s() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        // The dark block's old comment colour on its old background: 2.31:1.
        assert!((contrast_ratio([0x5c, 0x63, 0x70], [0x28, 0x2c, 0x34]) - 2.31).abs() < 0.01);
        let fixed = readable_on([0x5c, 0x63, 0x70], [0x28, 0x2c, 0x34], 4.5);
        assert!(contrast_ratio(fixed, [0x28, 0x2c, 0x34]) >= 4.5);
        assert!(fixed[0] > 0x5c, "lightened on a dark background");
    }

    #[test]
    fn email_code_colours_are_readable_on_its_background() {
        // The light theme's comment grey, string green and constant blue.
        for color in [[0x96, 0x98, 0x96], [0x63, 0xa3, 0x5c], [0x00, 0x86, 0xb3]] {
            let kept = readable_in_email(color);
            assert!(
                contrast_ratio(kept, EMAIL_CODE_BACKGROUND) >= 4.5,
                "{kept:?}"
            );
            // The same hue: the strongest channel stays the strongest.
            let max = |c: [u8; 3]| (0..3).max_by_key(|&i| c[i]);
            assert_eq!(max(kept), max(color));
        }
        assert_eq!(readable_in_email([0x32, 0x32, 0x32]), [0x32, 0x32, 0x32]);
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        let html = code_block("# comment\nx = \"s\"\n", Some("python"), true);
        let inner = &html[html.find("<code").unwrap()..];
        let inner = &inner[inner.find('>').unwrap() + 1..inner.find("</code>").unwrap()];
        let styled = Restyler::default().restyle(inner);
        for css in styled.split("color:#").skip(1) {
            let hex = &css[..6];
            let rgb = [0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
            assert!(
                contrast_ratio(rgb, EMAIL_CODE_BACKGROUND) >= 4.5,
                "#{hex} in {styled}"
            );
        }
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
