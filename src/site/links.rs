//! `@/path.md#anchor` -> the absolute URL of that page in a language: one answer for Markdown
//! links and the templates' `url(path="@/…")`, translations and fallbacks included.

use std::collections::HashMap;

use super::Site;
use crate::config::Config;

/// Absolute URLs of pages by (lang, content key), for `url(path="@/…")`.
pub(crate) type LinkTable = HashMap<(String, String), String>;

/// What `url(path="@/…")` gives in each language for every page of the site.
pub(crate) fn link_table(config: &Config, site: &Site) -> LinkTable {
    site.pages
        .iter()
        .flat_map(|p| config.language_codes().map(move |lang| (lang, p)))
        .filter_map(|(lang, p)| {
            let url = resolve_link(config, site, lang, &format!("{}.md", p.key)).ok()?;
            Some(((lang.to_string(), p.key.clone()), url))
        })
        .collect()
}

/// `articles/x.md#part` (after `@/`) -> the absolute URL of that page in `lang`, or of
/// another language's version when `lang` has none; `articles/x.en.md` picks the language.
pub(crate) fn resolve_link(
    config: &Config,
    site: &Site,
    lang: &str,
    target: &str,
) -> Result<String, String> {
    let (file, anchor) = match target.split_once('#') {
        Some((file, anchor)) => (file, format!("#{anchor}")),
        None => (target, String::new()),
    };
    let file = file.trim_start_matches('/');
    let not_found = || {
        format!(
            "broken internal link @/{target}: there is no content/{file} (write the path from content/, e.g. @/articles/my-article.md)"
        )
    };
    let (stem, explicit) = crate::lang::split_suffix(file).ok_or_else(not_found)?;
    let explicit = explicit.filter(|l| config.language(l).is_some());
    let stem = match explicit {
        Some(_) => stem,
        None => file.strip_suffix(".md").unwrap_or(file),
    };
    let wanted = explicit.unwrap_or(lang);
    let lookup = |l: &str| site.by_key.get(&(l.to_string(), stem.to_string())).copied();
    // The file named, in the wanted language; else its translation in that language (names
    // may differ: translation_key); else the file itself in whatever language it exists.
    let any_version = lookup(wanted).or_else(|| {
        std::iter::once(config.default_language.as_str())
            .chain(config.language_codes())
            .find_map(lookup)
    });
    let any_version = any_version
        .filter(|&p| explicit.is_none() || site.pages[p].lang == wanted)
        .ok_or_else(not_found)?;
    let page = if site.pages[any_version].lang == wanted {
        any_version
    } else {
        site.translations_of(any_version)
            .find(|&t| site.pages[t].lang == wanted)
            .unwrap_or(any_version)
    };
    Ok(format!(
        "{}{anchor}",
        config.absolute(&site.pages[page].path)
    ))
}
