//! The parts of `config.toml` that shape the site beyond its languages: URL patterns per
//! section, redirects and old feed addresses, how heading ids are made, which sections feed
//! the home and the feeds, the navigation, and the newsletter's subscribe form.

use std::collections::BTreeMap;

use serde::Deserialize;

/// How heading ids are made: gazette's own way, or another engine's, so that an imported
/// site's deep links keep working.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HeadingIds {
    /// Slugified ASCII: `Été 2026 : « Rust »` -> `ete-2026-rust` (Zola's way too).
    #[default]
    Gazette,
    /// Hugo's (Goldmark's): lowercase, letters of any script kept, spaces -> `-`.
    Hugo,
    Zola,
    /// Jekyll's (kramdown's): lowercase ASCII letters and digits, spaces -> `-`.
    Jekyll,
}

/// What a feed address serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FeedFormat {
    Atom,
    Rss,
    Json,
}

/// `[sections.NAME]`: what a section's articles take part in.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionOptions {
    /// In the language's feeds (default true).
    #[serde(default = "yes")]
    pub feeds: bool,
    /// Among the home's latest articles (default true).
    #[serde(default = "yes")]
    pub home: bool,
}

impl Default for SectionOptions {
    fn default() -> Self {
        SectionOptions {
            feeds: true,
            home: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// An entry of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum NavItem {
    /// The language's home.
    Home,
    /// The archive of issues (shown only when there are issues).
    Issues,
    /// Each section's list.
    Sections,
    /// The list of tags (shown only when there are tags).
    Tags,
    /// Each standalone page (about, subscribe).
    Pages,
}

/// The default navigation.
pub(crate) const NAV: [NavItem; 5] = [
    NavItem::Home,
    NavItem::Issues,
    NavItem::Sections,
    NavItem::Tags,
    NavItem::Pages,
];

/// `[newsletter]`, as written (in the site's table, or a language's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNewsletter {
    pub subscribe_url: Option<String>,
    pub email_field: Option<String>,
    pub unsubscribe_url: Option<String>,
    /// Hidden fields the mailing tool's form needs (a list id, an empty honeypot).
    pub fields: Option<BTreeMap<String, String>>,
}

/// How readers subscribe, and the email's unsubscribe link, in one language.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct Newsletter {
    /// Where the subscribe form posts; none: no form anywhere.
    pub subscribe_url: Option<String>,
    pub email_field: String,
    /// Put as it is in both parts of the email (a mailing tool's merge tag).
    pub unsubscribe_url: Option<String>,
    pub fields: BTreeMap<String, String>,
}

impl Newsletter {
    /// A language's newsletter: its own values over the site's.
    pub(crate) fn merged(site: &RawNewsletter, own: Option<&RawNewsletter>) -> Newsletter {
        let pick = |f: fn(&RawNewsletter) -> &Option<String>| {
            own.and_then(|own| f(own).clone())
                .or_else(|| f(site).clone())
        };
        let mut fields = site.fields.clone().unwrap_or_default();
        fields.extend(own.and_then(|own| own.fields.clone()).unwrap_or_default());
        Newsletter {
            subscribe_url: pick(|n| &n.subscribe_url),
            email_field: pick(|n| &n.email_field).unwrap_or_else(|| "email".into()),
            unsubscribe_url: pick(|n| &n.unsubscribe_url),
            fields,
        }
    }
}

/// A `[permalinks]` pattern: `/:year/:month/:day/:slug/`, checked for unknown placeholders.
pub(crate) fn check_permalink(pattern: &str) -> std::result::Result<(), String> {
    if !pattern.starts_with('/') {
        return Err(format!(
            "\"{pattern}\" must start with /, e.g. \"/:year/:month/:slug/\""
        ));
    }
    for word in pattern.split('/').filter(|w| w.starts_with(':')) {
        if !matches!(word, ":year" | ":month" | ":day" | ":slug" | ":section") {
            return Err(format!(
                "unknown placeholder {word} in \"{pattern}\": use :year, :month, :day, :slug or \
                 :section"
            ));
        }
    }
    if !pattern.contains(":slug") {
        return Err(format!(
            "\"{pattern}\" has no :slug: every article of the section would get one URL"
        ));
    }
    Ok(())
}

/// A path of the site, from its root (`[redirects]`, feed aliases).
pub(crate) fn is_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.split('/').any(|part| part == "..")
        && !path
            .chars()
            .any(|c| c.is_control() || c == '\\' || c == '"')
}
