//! The URLs Zola 0.19 gave a site: each page's (`path` as written, else its folders as they
//! are and its slug) and each list's (sections and their pages, taxonomies, feeds).

use std::collections::BTreeMap;

use super::super::model::{FeedKind, Page, Place, Target};
use super::config::{Settings, Taxonomy, ZolaLanguage};
use super::{SectionInfo, Sections};

fn prefix(settings: &Settings, lang: &str) -> String {
    if lang == settings.default_lang {
        "/".into()
    } else {
        format!("/{lang}/")
    }
}

/// The URL Zola published the page at, if it did.
pub(super) fn old_url(settings: &Settings, page: &Page, sections: &Sections) -> Option<String> {
    if page.front.draft {
        return None;
    }
    let prefix = prefix(settings, &page.lang);
    match &page.place {
        Place::Home => Some(prefix),
        Place::SectionIndex(section) => {
            let info = sections.get(&(section.clone(), page.lang.clone()));
            info.is_none_or(|i| i.render)
                .then(|| format!("{prefix}{section}/"))
        }
        Place::Article(_) | Place::Standalone => {
            if let Some(path) = &page.front.url {
                // Zola takes `path` as written: the language prefix is the author's.
                return Some(format!("/{}/", path.trim_matches('/')).replace("//", "/"));
            }
            // Zola uses the folders as they are written (gazette slugifies them).
            let folder = match &page.place {
                Place::Article(section) if !section.is_empty() => format!("{section}/"),
                _ => String::new(),
            };
            Some(format!("{prefix}{folder}{}/", page.front.slug.as_deref()?))
        }
    }
}

/// The old URLs of lists: sections and their pages, taxonomies, feeds.
pub(super) fn list_urls(
    settings: &Settings,
    pages: &[Page],
    sections: &Sections,
) -> Vec<(String, Target)> {
    let mut urls = Vec::new();
    for language in &settings.languages {
        let lang = &language.code;
        let prefix = prefix(settings, lang);
        for feed in &language.feeds {
            urls.push((format!("{prefix}{feed}"), feed_target(lang, feed)));
        }
        for ((dir, section_lang), info) in sections {
            if section_lang == lang {
                section_urls(lang, &prefix, dir, info, pages, &language.feeds, &mut urls);
            }
        }
        for taxonomy in &language.taxonomies {
            taxonomy_urls(language, &prefix, taxonomy, pages, &mut urls);
        }
    }
    urls
}

fn feed_target(lang: &str, file: &str) -> Target {
    let kind = if file.starts_with("rss") {
        FeedKind::Rss
    } else {
        FeedKind::Atom
    };
    Target::Feed {
        lang: lang.to_string(),
        kind,
    }
}

fn section_urls(
    lang: &str,
    prefix: &str,
    dir: &str,
    info: &SectionInfo,
    pages: &[Page],
    feeds: &[String],
    urls: &mut Vec<(String, Target)>,
) {
    let base = match dir {
        "" => prefix.to_string(),
        dir => format!("{prefix}{dir}/"),
    };
    let target = |page| match dir {
        "" => Target::Home {
            lang: lang.to_string(),
            page,
        },
        dir => Target::Section {
            lang: lang.to_string(),
            section: dir.to_string(),
            page,
        },
    };
    if info.feeds {
        for feed in feeds
            .iter()
            .chain(feeds.is_empty().then(|| "atom.xml".to_string()).iter())
        {
            urls.push((format!("{base}{feed}"), feed_target(lang, feed)));
        }
    }
    let (Some(per), true) = (info.paginate_by, info.render) else {
        return;
    };
    let inside = format!("{dir}/");
    let count = pages
        .iter()
        .filter(|p| p.lang == lang && p.old_url.is_some())
        .filter(|p| matches!(&p.place, Place::Article(s) if *s == dir || dir.is_empty() || s.starts_with(&inside)))
        .count();
    for n in 1..=count.div_ceil(per).max(1) {
        urls.push((format!("{base}page/{n}/"), target(n)));
    }
}

fn taxonomy_urls(
    language: &ZolaLanguage,
    prefix: &str,
    taxonomy: &Taxonomy,
    pages: &[Page],
    urls: &mut Vec<(String, Target)>,
) {
    let lang = &language.code;
    let mut terms: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for page in pages
        .iter()
        .filter(|p| p.lang == *lang && p.old_url.is_some())
    {
        let written = match taxonomy.name.as_str() {
            "tags" => page.front.tags.clone(),
            name => page.front.taxonomies.get(name).cloned().unwrap_or_default(),
        };
        for term in written {
            terms
                .entry(slug::slugify(&term))
                .or_insert_with(|| (term.clone(), 0))
                .1 += 1;
        }
    }
    if terms.is_empty() {
        return;
    }
    let base = format!("{prefix}{}/", slug::slugify(&taxonomy.name));
    urls.push((base.clone(), Target::Tags { lang: lang.clone() }));
    for (slug, (term, n)) in terms {
        let term_base = format!("{base}{slug}/");
        let target = |page| Target::Tag {
            lang: lang.clone(),
            term: term.clone(),
            page,
        };
        urls.push((term_base.clone(), target(1)));
        if let Some(per) = taxonomy.paginate_by {
            for page in 1..=n.div_ceil(per).max(1) {
                urls.push((format!("{term_base}page/{page}/"), target(page)));
            }
        }
        if taxonomy.feed {
            for feed in &language.feeds {
                urls.push((format!("{term_base}{feed}"), feed_target(lang, feed)));
            }
        }
    }
}
