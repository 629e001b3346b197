//! Fenced code -> HTML with syntect's CSS classes (`hl-…`), so one stylesheet serves light
//! and dark modes, and the email edition can inline it. Unknown languages give plain code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
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
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The light theme alone: for the email edition, where code keeps a light background.
/// Generated once: every email of a build includes it.
pub fn light_stylesheet() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let themes = two_face::theme::extra();
        css_for_theme_with_class_style(
            themes.get(two_face::theme::EmbeddedThemeName::InspiredGithub),
            CLASS_STYLE,
        )
        .unwrap_or_default()
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
