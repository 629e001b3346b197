//! One issue in one language -> its email edition: `email.html` (theme template, fluid
//! 600 px tables, every CSS rule inlined, every URL absolute, images every mail client shows)
//! and `email.txt` (the same issue as wrapped plain text, its links numbered once across the
//! whole message).
//!
//! Each body's HTML is made ready for the email here (`body`, `code`), before the template
//! sees it, so that the email's key follows it; the whole document is finished after
//! (`finish`).

mod body;
mod code;
mod finish;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::Values;
use super::inputs::Inputs;
use super::plan::Target;
use super::raster::png_path;
use crate::error::{Error, Location, Result};
use crate::markdown::{self, LinkNumbers, MAX_DEPTH, PlainText, RenderOptions, TEXT_WIDTH};
use crate::site::{PageKind, resolve_link};
pub(crate) use body::EmailImage;

/// Past this size (bytes of `email.html`) `gazette check` warns: Gmail clips a message past
/// about 102 KB, and mailing tools add their own markup and tracked links.
pub(crate) const GMAIL_CLIP: usize = 100_000;

#[derive(Serialize)]
struct EmailArticle<'a> {
    title: &'a str,
    plain_title: &'a str,
    url: String,
    /// The id of the article's place in the email: `a1`, `a2`…
    anchor: String,
    description: Option<&'a str>,
    date: Option<String>,
    authors: &'a [String],
    reading_time: usize,
    content: Value,
    text: String,
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
fn plain_text(inputs: &Inputs, id: usize) -> PlainText {
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
    markdown::render_with_text(&page.body, &options, true)
        .text
        .unwrap_or_default()
}

/// The images of issue `issue` (of edition `edition`) shown through a PNG: the original's
/// absolute URL -> the PNG (see `raster`).
pub(crate) fn images(
    inputs: &Inputs,
    edition: usize,
    issue: usize,
) -> BTreeMap<String, EmailImage> {
    let issue = &inputs.site.editions[edition].issues[issue];
    let shows = |id: &usize| issue.articles.contains(id) || issue.intro == Some(*id);
    let config = &inputs.config;
    inputs.plan.targets[inputs.plan.rasters.clone()]
        .iter()
        .filter_map(|(_, target)| match target {
            Target::Raster(raster) if raster.pages.iter().any(shows) => Some(raster),
            _ => None,
        })
        .map(|raster| {
            let original = config.absolute(&format!("/{}", raster.original));
            let image = EmailImage {
                png: config.absolute(&format!("/{}", png_path(&raster.original))),
                width: raster.width,
                height: raster.height,
            };
            (original, image)
        })
        .collect()
}

/// Where the email's "Subscribe" link leads, if readers can subscribe (`[newsletter]` has a
/// `subscribe_url`): the language's page of key `subscribe` (`content/subscribe.LANG.md`, or
/// `translation_key = "subscribe"`) if the site has one, else the language's home. The form
/// itself posts to `subscribe_url`, which a link cannot do: it is on the site's pages.
fn subscribe_page(inputs: &Inputs, lang: &str) -> Option<String> {
    let (config, site) = (&*inputs.config, &*inputs.site);
    config.language(lang)?.newsletter.subscribe_url.as_ref()?;
    let page = site.pages.iter().find(|p| {
        p.lang == lang
            && matches!(p.kind, PageKind::Standalone)
            && ["path:subscribe", "path:subscribe/index", "key:subscribe"].contains(&&*p.group)
    });
    Some(match page {
        Some(page) => config.absolute(&page.path),
        None => config.absolute(&config.home_path(lang)),
    })
}

/// What the templates of issue `issue`'s email edition (in edition `edition`) see, besides
/// the values its language shares (`Inputs::shared`).
pub(crate) fn values(inputs: &Inputs, edition: usize, issue: usize) -> Values {
    let site = &*inputs.site;
    let lang = site.editions[edition].lang.as_str();
    let issue_data = &site.editions[edition].issues[issue];
    let images = images(inputs, edition, issue);
    let mut view = inputs.issue_view(edition, issue);
    // Links are numbered once for the whole text part: the intro's first, then each article's.
    let mut numbers = LinkNumbers::default();
    let mut intro_text = String::new();
    if let Some(intro) = issue_data.intro {
        let place = body::Place {
            page_url: &view.url,
            prefix: "intro-",
            images: &images,
        };
        let html = body::email_body(&inputs.bodies.body(intro).html, &inputs.restyler, &place);
        view.content = Some(Value::safe_string(&html));
        intro_text = plain_text(inputs, intro).layout(TEXT_WIDTH, &mut numbers);
    }
    let articles: Vec<EmailArticle> = issue_data
        .articles
        .iter()
        .enumerate()
        .map(|(i, &id)| article(inputs, i, id, &images, &mut numbers))
        .collect();
    let mut values: Values = vec![
        ("lang", Value::from(lang)),
        ("config", inputs.plan.config.clone()),
    ];
    values.extend([
        ("issue", Value::from_serializable(&view)),
        ("articles", Value::from_serializable(&articles)),
        ("other_languages", other_languages(inputs, edition, issue)),
        ("intro_text", Value::from(intro_text)),
        ("text_width", Value::from(TEXT_WIDTH)),
        (
            "subscribe_page",
            Value::from_serializable(&subscribe_page(inputs, lang)),
        ),
        ("images", Value::from_serializable(&images)),
    ]);
    values
}

/// Article `id`, the `index`th of its issue, as the email shows it; its text's links
/// numbered by `numbers`, which goes on from the bodies before it.
fn article<'a>(
    inputs: &'a Inputs,
    index: usize,
    id: usize,
    images: &BTreeMap<String, EmailImage>,
    numbers: &mut LinkNumbers,
) -> EmailArticle<'a> {
    let page = &inputs.site.pages[id];
    let url = inputs.config.absolute(&page.path);
    let body = inputs.bodies.body(id);
    let anchor = format!("a{}", index + 1);
    let place = body::Place {
        page_url: &url,
        prefix: &format!("{anchor}-"),
        images,
    };
    let html = body::email_body(&body.html, &inputs.restyler, &place);
    EmailArticle {
        title: &page.title,
        plain_title: &page.front.title,
        description: page.description.as_deref(),
        date: page.front.date.map(|d| d.to_rfc3339()),
        authors: &page.front.authors,
        reading_time: body.reading_minutes,
        content: Value::safe_string(&html),
        text: plain_text(inputs, id).layout(TEXT_WIDTH, numbers),
        anchor,
        url,
    }
}

/// The same issue in the other languages that have it.
fn other_languages(inputs: &Inputs, edition: usize, issue: usize) -> Value {
    let number = inputs.site.editions[edition].issues[issue].number;
    let others = inputs.other_issues(edition, number);
    let others: Vec<OtherLanguage> = others
        .iter()
        .map(|(code, view)| OtherLanguage {
            lang: code,
            name: inputs
                .config
                .language(code)
                .map_or(code.as_str(), |l| l.title.as_str()),
            url: &view.url,
            email_url: format!("{}email.html", view.url),
        })
        .collect();
    Value::from_serializable(&others)
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
    let html = finish::inline_css(&html, html_path.trim_start_matches('/'))?;
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
