//! One issue in one language -> its email edition: `email.html` (theme template, 600 px
//! tables, every CSS rule inlined with css-inline, every URL absolute, images with a width)
//! and `email.txt` (the same issue as wrapped plain text, links listed).

use std::borrow::Cow;

use serde::Serialize;
use tera::Value;

use super::Values;
use super::html::absolute_fragments;
use super::inputs::Inputs;
use crate::error::{Error, Location, Result};
use crate::markdown::{self, MAX_DEPTH, RenderOptions, Restyler, TEXT_WIDTH};
use crate::site::resolve_link;

/// Width of the email's text column: 600 px minus 24 px of padding on each side.
pub(crate) const IMAGE_WIDTH: u32 = 552;

#[derive(Serialize)]
struct EmailArticle<'a> {
    title: &'a str,
    plain_title: &'a str,
    url: String,
    description: Option<&'a str>,
    date: Option<String>,
    authors: &'a [String],
    reading_time: usize,
    content: Value,
    text: Cow<'a, str>,
}

#[derive(Serialize)]
struct OtherLanguage<'a> {
    lang: &'a str,
    name: &'a str,
    url: &'a str,
    email_url: String,
}

/// Page `id`'s body as plain text: rendered with its HTML for the pages of an issue (see
/// `bodies`), here for any other.
fn plain_text(inputs: &Inputs, id: usize) -> String {
    let body = inputs.bodies.body(id);
    if let Some(text) = &body.text {
        return text.clone();
    }
    let (config, site) = (&*inputs.config, &*inputs.site);
    let page = &site.pages[id];
    let page_url = config.absolute(&page.path);
    let resolve = |target: &str| resolve_link(config, site, &page.lang, target);
    let options = RenderOptions {
        french: config.french(&page.lang),
        english: config.english(&page.lang),
        highlight: false,
        id_prefix: "",
        reserved_ids: &[],
        heading_ids: Default::default(),
        page_url: &page_url,
        base_url: &config.base_url,
        words_per_minute: config.words_per_minute,
        code_cache: None,
        resolve: &resolve,
    };
    markdown::render_text(&page.body, &options, TEXT_WIDTH)
}

/// What the templates of issue `issue`'s email edition (in edition `edition`) see, besides
/// the values its language shares (`Inputs::shared`).
pub(crate) fn values(inputs: &Inputs, edition: usize, issue: usize) -> Values {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let lang = site.editions[edition].lang.as_str();
    let issue_data = &site.editions[edition].issues[issue];
    let view = inputs.issue_view(edition, issue);
    let others = inputs.other_issues(edition, issue_data.number);
    let articles: Vec<EmailArticle> = issue_data
        .articles
        .iter()
        .map(|&id| {
            let page = &site.pages[id];
            let url = config.absolute(&page.path);
            let body = inputs.bodies.body(id);
            EmailArticle {
                title: &page.title,
                plain_title: &page.front.title,
                description: page.description.as_deref(),
                date: page.front.date.map(|d| d.to_rfc3339()),
                authors: &page.front.authors,
                reading_time: body.reading_minutes,
                content: Value::safe_string(&absolute_fragments(&body.html, &url)),
                text: Cow::Owned(plain_text(inputs, id)),
                url,
            }
        })
        .collect();
    let others: Vec<OtherLanguage> = others
        .iter()
        .map(|(code, view)| OtherLanguage {
            lang: code,
            name: config
                .language(code)
                .map_or(code.as_str(), |l| l.title.as_str()),
            url: &view.url,
            email_url: format!("{}email.html", view.url),
        })
        .collect();
    let intro_text = issue_data
        .intro
        .map(|i| plain_text(inputs, i))
        .unwrap_or_default();
    let mut values: Values = vec![
        ("lang", Value::from(lang)),
        ("config", inputs.plan.config.clone()),
    ];
    values.extend([
        ("issue", Value::from_serializable(&view)),
        ("articles", Value::from_serializable(&articles)),
        ("other_languages", Value::from_serializable(&others)),
        ("intro_text", Value::from(intro_text)),
        ("text_width", Value::from(TEXT_WIDTH)),
    ]);
    values
}

/// Both parts of an email edition, `email.html` and `email.txt`, from one set of values.
pub(crate) fn render_email(
    inputs: &Inputs,
    edition: usize,
    issue: usize,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let issue_data = &inputs.site.editions[edition].issues[issue];
    for id in issue_data.articles.iter().copied().chain(issue_data.intro) {
        refuse_deep_nesting(inputs, id)?;
    }
    let path = &issue_data.path;
    let lang = &inputs.site.editions[edition].lang;
    let context = super::context(inputs.with_shared(lang, values(inputs, edition, issue)));
    let html_path = format!("{path}email.html");
    let html = inputs.theme.render("email.html", &context, &html_path)?;
    let html = restyle_code(&inputs.restyler, &html);
    let html = inline_css(&html, html_path.trim_start_matches('/'))?;
    let text = inputs
        .theme
        .render_bytes("email.txt", &context, &format!("{path}email.txt"))?;
    Ok((html.into_bytes(), text))
}

/// Refuses a page the CSS inliner could not take: nested deeper than `MAX_DEPTH`.
fn refuse_deep_nesting(inputs: &Inputs, id: usize) -> Result<()> {
    let Some(deep) = inputs.bodies.outline(id).too_deep else {
        return Ok(());
    };
    let page = &inputs.site.pages[id];
    Err(Error::Content {
        location: Location::at(&page.source, page.body_line + deep.line, deep.col),
        message: format!(
            "nested {} levels deep here (lists, quotes or HTML elements inside one another): \
             the email edition of issue {} takes at most {MAX_DEPTH}; flatten it",
            deep.depth,
            page.front.issue.unwrap_or_default()
        ),
    })
}

/// The highlighted code blocks Markdown writes (`<pre class="code"…><code…>`) with their
/// colours inline: mail clients need them so, and the CSS inliner then has no token classes
/// to match.
fn restyle_code(restyler: &Restyler, html: &str) -> String {
    const OPEN: &str = "<pre class=\"code\"";
    const CLOSE: &str = "</code></pre>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        // The inside of the `<code>`: after the second `>` of the block.
        let Some(inner) = rest[start..]
            .match_indices('>')
            .nth(1)
            .map(|(at, _)| start + at + 1)
        else {
            break;
        };
        let Some(end) = rest[inner..].find(CLOSE).map(|at| inner + at) else {
            break;
        };
        out.push_str(&rest[..inner]);
        out.push_str(&restyler.restyle(&rest[inner..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Moves every rule of the `<style>` blocks into `style=` attributes (at-rules such as
/// `@media` stay in a `<style>`), drops scripts and stylesheet links, and gives images a width.
fn inline_css(html: &str, path: &str) -> Result<String> {
    let inliner = css_inline::CSSInliner::options()
        .keep_style_tags(false)
        .keep_at_rules(true)
        .keep_link_tags(false)
        .load_remote_stylesheets(false)
        .resolve_css_variables(true)
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
        assert!(out.contains("<p style=\"color: #111"), "{out}");
        assert!(out.contains("@media (prefers-color-scheme: dark)"), "{out}");
        assert!(!out.contains("<link"), "{out}");
    }
}
