//! A language's pages -> its `Edition`: articles newest first, sections, tags and issues,
//! each list in the order pages show it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Deref;

use super::{Edition, Issue, Page, PageKind, Section, Tag, section_path};
use crate::config::Config;
use crate::error::{Error, Location};

fn newest_first<P: Deref<Target = Page>>(pages: &[P], ids: &mut [usize]) {
    ids.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        pb.front
            .date
            .cmp(&pa.front.date)
            .then_with(|| pa.title.cmp(&pb.title))
    });
}

/// The edition of `lang`: its pages placed in lists. Tags that give no URL are errors.
pub(super) fn edition<P: Deref<Target = Page>>(
    config: &Config,
    lang: &str,
    pages: &[P],
    errors: &mut Vec<Error>,
) -> Edition {
    let in_lang: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].lang == lang)
        .collect();
    let mut articles: Vec<usize> = in_lang
        .iter()
        .copied()
        .filter(|&i| pages[i].is_article())
        .collect();
    newest_first(pages, &mut articles);
    // Index pages (home, sections, issue intros) by kind, so looking one up is not a scan.
    let index_pages: HashMap<&PageKind, usize> = in_lang
        .iter()
        .copied()
        .filter(|&i| {
            !matches!(
                pages[i].kind,
                PageKind::Article { .. } | PageKind::Standalone
            )
        })
        .map(|i| (&pages[i].kind, i))
        .collect();
    let find = |kind: &PageKind| index_pages.get(kind).copied();
    Edition {
        lang: lang.to_string(),
        home: find(&PageKind::Home),
        sections: sections(config, lang, pages, &articles, &in_lang, &find),
        tags: tags(config, lang, pages, &articles, errors),
        issues: issues(config, lang, pages, &articles, &in_lang, &find),
        standalone: standalone(pages, &in_lang),
        articles,
    }
}

/// Sections by folder name, each with its articles (newest first) and its `_index` page; a
/// section with an `_index` page and no article is listed too.
fn sections<P: Deref<Target = Page>>(
    config: &Config,
    lang: &str,
    pages: &[P],
    articles: &[usize],
    in_lang: &[usize],
    find: &impl Fn(&PageKind) -> Option<usize>,
) -> Vec<Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let new = |name: &String| Section {
        name: name.clone(),
        path: section_path(config, lang, name),
        index: find(&PageKind::SectionIndex {
            section: name.clone(),
        }),
        articles: Vec::new(),
    };
    for &i in articles {
        if let PageKind::Article { section: name } = &pages[i].kind {
            let section = sections.entry(name.clone()).or_insert_with(|| new(name));
            section.articles.push(i);
        }
    }
    for &i in in_lang {
        if let PageKind::SectionIndex { section: name } = &pages[i].kind {
            sections.entry(name.clone()).or_insert_with(|| new(name));
        }
    }
    sections.into_values().collect()
}

/// Tags by slug, named as their newest article writes them, sorted by name.
fn tags<P: Deref<Target = Page>>(
    config: &Config,
    lang: &str,
    pages: &[P],
    articles: &[usize],
    errors: &mut Vec<Error>,
) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    // Thousands of articles share a few dozen tags: slugify each name once.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for &i in articles {
        let page = &pages[i];
        for name in &page.front.tags {
            let slug = slugs
                .entry(name.as_str())
                .or_insert_with(|| slug::slugify(name))
                .clone();
            if slug.is_empty() {
                errors.push(Error::FrontMatter {
                    location: Location::file(&page.source),
                    message: format!(
                        "the tag \"{name}\" has no letters or digits to make a URL from"
                    ),
                });
                continue;
            }
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                path: config.lang_path(lang, &format!("tags/{slug}/")),
                slug,
                articles: Vec::new(),
            });
            if tag.articles.last() != Some(&i) {
                tag.articles.push(i);
            }
        }
    }
    let mut tags: Vec<Tag> = tags.into_values().collect();
    tags.sort_by_key(|t| t.name.to_lowercase());
    tags
}

/// Issues, newest (highest number) first, each with its articles by weight then newest
/// first; an issue with an intro and no article is listed too.
fn issues<P: Deref<Target = Page>>(
    config: &Config,
    lang: &str,
    pages: &[P],
    articles: &[usize],
    in_lang: &[usize],
    find: &impl Fn(&PageKind) -> Option<usize>,
) -> Vec<Issue> {
    let mut issues: BTreeMap<u32, Issue> = BTreeMap::new();
    let new = |number: u32| Issue {
        number,
        path: config.lang_path(lang, &format!("issues/{number}/")),
        intro: find(&PageKind::IssueIntro { number }),
        articles: Vec::new(),
    };
    for &i in articles {
        if let Some(number) = pages[i].front.issue {
            let issue = issues.entry(number).or_insert_with(|| new(number));
            issue.articles.push(i);
        }
    }
    for &i in in_lang {
        if let PageKind::IssueIntro { number } = pages[i].kind {
            issues.entry(number).or_insert_with(|| new(number));
        }
    }
    let weight = |p: &Page| p.front.weight.unwrap_or(i64::MAX);
    for issue in issues.values_mut() {
        issue.articles.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            weight(pa)
                .cmp(&weight(pb))
                .then_with(|| pb.front.date.cmp(&pa.front.date))
        });
    }
    issues.into_values().rev().collect()
}

/// Standalone pages (about, subscribe), by weight then title.
fn standalone<P: Deref<Target = Page>>(pages: &[P], in_lang: &[usize]) -> Vec<usize> {
    let mut standalone: Vec<usize> = in_lang
        .iter()
        .copied()
        .filter(|&i| pages[i].kind == PageKind::Standalone)
        .collect();
    standalone.sort_by_key(|&i| {
        (
            pages[i].front.weight.unwrap_or(i64::MAX),
            pages[i].title.clone(),
        )
    });
    standalone
}
