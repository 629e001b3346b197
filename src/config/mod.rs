//! `config.toml` as written (RawConfig, strict serde) -> `Config`, resolved and validated:
//! languages in order (default first), base URL without trailing slash, knobs with defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result, closest};
use crate::lang;

mod keys;
mod site;

pub(crate) use site::{FeedFormat, HeadingIds, NAV, NavItem, Newsletter, SectionOptions};
use site::{RawNewsletter, check_permalink, is_site_path};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: String,
    #[serde(default = "default_theme")]
    theme: String,
    default_language: String,
    languages: BTreeMap<String, RawLanguage>,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default = "yes")]
    highlight_code: bool,
    #[serde(default = "yes")]
    french_typography: bool,
    #[serde(default = "yes")]
    english_typography: bool,
    #[serde(default = "default_words_per_minute")]
    words_per_minute: usize,
    /// The default language at `/` instead of `/LANG/` (implied for one language).
    default_language_at_root: Option<bool>,
    #[serde(default)]
    permalinks: BTreeMap<String, String>,
    #[serde(default)]
    redirects: BTreeMap<String, String>,
    #[serde(default)]
    heading_ids: HeadingIds,
    #[serde(default)]
    sections: BTreeMap<String, SectionOptions>,
    nav: Option<Vec<NavItem>>,
    #[serde(default)]
    newsletter: RawNewsletter,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: String,
    #[serde(default)]
    description: String,
    locale: Option<String>,
    /// Old feed addresses served with this language's feeds: path -> format.
    #[serde(default)]
    feed_aliases: BTreeMap<String, FeedFormat>,
    newsletter: Option<RawNewsletter>,
}

fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    10
}
fn default_feed_limit() -> usize {
    20
}
fn default_words_per_minute() -> usize {
    220
}
fn yes() -> bool {
    true
}

/// One language the site is written in.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Language {
    pub code: String,
    pub title: String,
    pub description: String,
    /// POSIX-style locale, e.g. `fr_FR`: dates and `og:locale`.
    pub locale: String,
    /// Old feed addresses this language's feeds are also written at: path -> format.
    #[serde(skip)]
    pub feed_aliases: BTreeMap<String, FeedFormat>,
    #[serde(skip)]
    pub newsletter: Newsletter,
}

/// The site's configuration, validated.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The site's root folder (where `config.toml` is).
    pub root: PathBuf,
    /// Absolute, without a trailing slash: `https://gazette.example` or `https://x.io/news`.
    pub base_url: String,
    pub theme: String,
    pub default_language: String,
    /// Default language first, then the others in alphabetical order.
    pub languages: Vec<Language>,
    pub paginate_by: usize,
    pub feed_limit: usize,
    pub highlight_code: bool,
    pub french_typography: bool,
    /// Curly quotes and apostrophes on English pages.
    pub english_typography: bool,
    pub words_per_minute: usize,
    /// The default language's pages are at `/…`, the others' at `/LANG/…`; no chooser at `/`.
    pub default_language_at_root: bool,
    /// Section folder -> URL pattern for its articles (`/:year/:month/:slug/`).
    pub permalinks: BTreeMap<String, String>,
    /// Old URL path -> the path it now leads to.
    pub redirects: BTreeMap<String, String>,
    pub heading_ids: HeadingIds,
    pub sections: BTreeMap<String, SectionOptions>,
    pub nav: Vec<NavItem>,
    pub extra: toml::Table,
    /// The text this was parsed from: what a build's stamp hashes (reading the file again
    /// could see a later save).
    pub text: std::sync::Arc<str>,
}

impl Config {
    /// Reads `root/config.toml`.
    pub(crate) fn load(root: &Path) -> Result<Config> {
        let path = PathBuf::from("config.toml");
        let text = std::fs::read_to_string(root.join(&path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Config {
                location: Location::file(&path),
                message: "no config.toml here: is this a gazette site? (pass --root DIR)".into(),
            },
            std::io::ErrorKind::InvalidData => Error::Encoding {
                location: Location::file(&path),
                message: "config.toml is not valid UTF-8".into(),
            },
            _ => Error::io(&path, e),
        })?;
        Config::parse(&text, root, &path)
    }

    /// Parses the text of a config file; `path` is only used in messages.
    pub(crate) fn parse(text: &str, root: &Path, path: &Path) -> Result<Config> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(error) = Error::from_many(keys::unknown_keys(text, path)) {
            return Err(error);
        }
        let raw: RawConfig = toml::from_str(text).map_err(|e| Error::Config {
            location: toml_error_location(path, text, &e, 1),
            message: toml_error_message(&e),
        })?;
        resolve(raw, root, path, text)
    }

    /// Where the key at `keys` (`["permalinks", "news"]`) is written in `config.toml`.
    pub(crate) fn location_of(&self, keys: &[&str]) -> Location {
        keys::locate(&self.text, Path::new("config.toml"), keys)
    }

    pub(crate) fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub(crate) fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    pub(crate) fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub(crate) fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }

    /// The absolute URL of a site path that starts with `/`.
    pub(crate) fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The URL path of `lang`'s home: `/fr/`, or `/` for the default language at the root.
    pub(crate) fn home_path(&self, lang: &str) -> String {
        if self.default_language_at_root && lang == self.default_language {
            "/".to_string()
        } else {
            format!("/{lang}/")
        }
    }

    /// A URL path inside `lang`'s part of the site: `rest` (`tags/`) after its home path.
    pub(crate) fn lang_path(&self, lang: &str, rest: &str) -> String {
        format!("{}{rest}", self.home_path(lang))
    }

    /// Whether `/` is the language chooser (several languages, none at the root).
    pub(crate) fn has_chooser(&self) -> bool {
        !self.default_language_at_root
    }

    /// What the articles of section `name` take part in.
    pub(crate) fn section(&self, name: &str) -> SectionOptions {
        self.sections.get(name).copied().unwrap_or_default()
    }

    /// Whether text in `lang` gets French typography.
    pub(crate) fn french(&self, lang: &str) -> bool {
        self.french_typography && lang == "fr"
    }

    /// Whether text in `lang` gets English typography (curly quotes).
    pub(crate) fn english(&self, lang: &str) -> bool {
        self.english_typography && lang == "en"
    }

    /// The typography rules of `lang`'s text, if it has them (one switch per language).
    pub(crate) fn typography(&self, lang: &str) -> Option<crate::typography::Rules> {
        use crate::typography::Rules;
        if self.french(lang) {
            Some(Rules::French)
        } else if self.english(lang) {
            Some(Rules::English)
        } else {
            None
        }
    }

    /// `text` as pages in `lang` show it: French typography on French pages, English on
    /// English ones.
    pub(crate) fn typeset(&self, lang: &str, text: &str) -> String {
        match self.typography(lang) {
            Some(rules) => crate::typography::typeset(rules, text),
            None => text.to_string(),
        }
    }

    /// `base_url` replaced for one build (`--base-url`, `serve`'s own address).
    pub(crate) fn with_base_url(mut self, base_url: &str) -> Result<Config> {
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::Config {
                location: Location::file("--base-url"),
                message: format!(
                    "\"{base_url}\" must be an absolute http(s) URL, e.g. https://preview.example"
                ),
            });
        }
        self.base_url = base_url.trim_end_matches('/').to_string();
        Ok(self)
    }
}

fn resolve(raw: RawConfig, root: &Path, path: &Path, text: &str) -> Result<Config> {
    let err_at = |keys: &[&str], message: String| Error::Config {
        location: keys::locate(text, path, keys),
        message,
    };
    let base_url = raw.base_url.trim_end_matches('/').to_string();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(err_at(
            &["base_url"],
            format!(
                "base_url \"{}\" must be an absolute http(s) URL, e.g. \"https://gazette.example\"",
                raw.base_url
            ),
        ));
    }
    if raw.languages.is_empty() {
        return Err(err_at(
            &["languages"],
            "no languages: add a [languages.fr] table with a title".into(),
        ));
    }
    if !raw.languages.contains_key(&raw.default_language) {
        let known: Vec<&str> = raw.languages.keys().map(String::as_str).collect();
        return Err(err_at(
            &["default_language"],
            format!(
                "default_language \"{}\" is not one of the configured languages ({})",
                raw.default_language,
                known.join(", ")
            ),
        ));
    }
    if raw.paginate_by == 0 {
        return Err(err_at(
            &["paginate_by"],
            "paginate_by must be at least 1".into(),
        ));
    }
    if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
        return Err(err_at(
            &["theme"],
            format!(
                "theme \"{}\" must be a folder name under themes/",
                raw.theme
            ),
        ));
    }
    check_urls(&raw, &err_at)?;
    let mut languages = Vec::new();
    for (code, language) in raw.languages {
        if lang::split_suffix(&format!("x.{code}.md")).is_none_or(|(_, l)| l != Some(&code)) {
            return Err(err_at(
                &["languages", &code],
                format!("\"{code}\" is not a language code: use two letters, e.g. fr or en"),
            ));
        }
        if let Some(alias) = language.feed_aliases.keys().find(|a| !is_site_path(a)) {
            return Err(err_at(
                &["languages", &code, "feed_aliases", alias],
                format!("feed alias \"{alias}\" must be a path of this site, e.g. \"/index.xml\""),
            ));
        }
        languages.push(Language {
            locale: language
                .locale
                .unwrap_or_else(|| lang::default_locale(&code)),
            newsletter: Newsletter::merged(&raw.newsletter, language.newsletter.as_ref()),
            feed_aliases: language.feed_aliases,
            code,
            title: language.title,
            description: language.description,
        });
    }
    languages.sort_by_key(|l| (l.code != raw.default_language, l.code.clone()));
    let default_language_at_root = raw.default_language_at_root.unwrap_or(languages.len() == 1);
    Ok(Config {
        root: root.to_path_buf(),
        base_url,
        theme: raw.theme,
        default_language: raw.default_language,
        languages,
        paginate_by: raw.paginate_by,
        feed_limit: raw.feed_limit,
        highlight_code: raw.highlight_code,
        french_typography: raw.french_typography,
        english_typography: raw.english_typography,
        words_per_minute: raw.words_per_minute.max(1),
        default_language_at_root,
        permalinks: raw.permalinks,
        redirects: raw.redirects,
        heading_ids: raw.heading_ids,
        sections: raw.sections,
        nav: raw.nav.unwrap_or_else(|| NAV.to_vec()),
        extra: raw.extra,
        text: std::sync::Arc::from(text),
    })
}

/// Refuses permalink patterns, redirects and a subscribe URL that cannot work.
fn check_urls(raw: &RawConfig, err_at: &impl Fn(&[&str], String) -> Error) -> Result<()> {
    for (section, pattern) in &raw.permalinks {
        check_permalink(pattern)
            .map_err(|m| err_at(&["permalinks", section], format!("permalinks: {m}")))?;
    }
    for (from, to) in &raw.redirects {
        if !is_site_path(from) || !(is_site_path(to) || to.starts_with("https://")) {
            return Err(err_at(
                &["redirects", from],
                format!(
                    "redirect \"{from}\" = \"{to}\": both must be paths of this site from its \
                     root (\"/old/\" = \"/new/\"), or the target an https:// URL"
                ),
            ));
        }
    }
    let subscribe_urls = std::iter::once((vec!["newsletter"], &raw.newsletter))
        .chain(raw.languages.iter().filter_map(|(code, l)| {
            let keys = vec!["languages", code.as_str(), "newsletter"];
            l.newsletter.as_ref().map(|n| (keys, n))
        }))
        .filter_map(|(keys, n)| n.subscribe_url.as_deref().map(|url| (keys, url)));
    for (mut keys, url) in subscribe_urls {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            keys.push("subscribe_url");
            return Err(err_at(
                &keys,
                format!("subscribe_url \"{url}\" must be the mailing tool's https:// form address"),
            ));
        }
    }
    Ok(())
}

/// The file location of a TOML error in `text`, which starts at line `first_line` of the file.
pub(crate) fn toml_error_location(
    path: &Path,
    text: &str,
    error: &toml::de::Error,
    first_line: usize,
) -> Location {
    match error.span() {
        Some(span) => Location::from_offset(path, text, span.start, first_line),
        None => Location::at(path, first_line, 1),
    }
}

/// The TOML error's message, with a suggestion when a key is unknown.
pub(crate) fn toml_error_message(error: &toml::de::Error) -> String {
    let message = error.message().trim().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match closest(field, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("valid keys: {}", candidates.join(", ")),
        };
        return format!("unknown key `{field}`: {hint}");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
base_url = "https://gazette.example/"
default_language = "fr"
[languages.fr]
title = "La Gazette"
[languages.en]
title = "The Gazette"
"#;

    #[test]
    fn resolves_defaults_and_order() {
        let config = Config::parse(GOOD, Path::new("."), Path::new("config.toml")).unwrap();
        assert_eq!(config.base_url, "https://gazette.example");
        assert_eq!(config.language_codes().collect::<Vec<_>>(), ["fr", "en"]);
        assert_eq!(config.languages[1].locale, "en_US");
        assert_eq!(config.paginate_by, 10);
    }

    #[test]
    fn unknown_key_names_it_and_suggests() {
        let text = GOOD.replace("default_language", "paginate_bye = 3\ndefault_language");
        let err = Config::parse(&text, Path::new("."), Path::new("config.toml")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("config.toml:3:1: unknown key `paginate_bye`"),
            "{message}"
        );
        assert!(message.contains("did you mean `paginate_by`?"), "{message}");
    }

    #[test]
    fn values_that_cannot_work_are_refused_at_their_line() {
        let cases = [
            (
                "[languages.en.feed_aliases]\n\"index.xml\" = \"rss\"\n",
                "config.toml:9:1: feed alias \"index.xml\" must be a path",
            ),
            (
                "[languages.en.newsletter]\nsubscribe_url = \"ftp://x\"\n",
                "config.toml:9:1: subscribe_url \"ftp://x\"",
            ),
            (
                "[redirects]\n\"/a/\" = \"/b/\"\n\"old\" = \"/new/\"\n",
                "config.toml:10:1: redirect \"old\"",
            ),
        ];
        for (added, expected) in cases {
            let text = format!("{GOOD}{added}");
            let err = Config::parse(&text, Path::new("."), Path::new("config.toml")).unwrap_err();
            assert!(err.to_string().starts_with(expected), "{err}");
        }
    }

    #[test]
    fn default_language_must_exist() {
        let text = GOOD.replace("default_language = \"fr\"", "default_language = \"de\"");
        let err = Config::parse(&text, Path::new("."), Path::new("config.toml")).unwrap_err();
        assert!(
            err.to_string()
                .contains("config.toml:3:1: default_language \"de\""),
            "{err}"
        );
    }
}
