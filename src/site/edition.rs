//! A language's pages -> its `Edition`: articles newest first, sections, tags and issues,
//! each list in the order pages show it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Deref;

use super::{Edition, Issue, Page, PageKind, Section, Tag, section_path};
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

pub(super) fn edition<P: Deref<Target = Page>>(
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
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    let mut tag_slugs: HashMap<&str, String> = HashMap::new();
    let mut issues: BTreeMap<u32, Issue> = BTreeMap::new();
    for &i in &articles {
        let page = &pages[i];
        if let PageKind::Article { section } = &page.kind {
            sections
                .entry(section.clone())
                .or_insert_with(|| Section {
                    name: section.clone(),
                    path: section_path(lang, section),
                    index: find(&PageKind::SectionIndex {
                        section: section.clone(),
                    }),
                    articles: Vec::new(),
                })
                .articles
                .push(i);
        }
        for name in &page.front.tags {
            // Thousands of articles share a few dozen tags: slugify each name once.
            let slug = tag_slugs
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
                path: format!("/{lang}/tags/{slug}/"),
                slug,
                articles: Vec::new(),
            });
            if tag.articles.last() != Some(&i) {
                tag.articles.push(i);
            }
        }
        if let Some(number) = page.front.issue {
            issue_entry(&mut issues, lang, number, &find)
                .articles
                .push(i);
        }
    }
    for &i in &in_lang {
        match &pages[i].kind {
            PageKind::IssueIntro { number } => {
                issue_entry(&mut issues, lang, *number, &find);
            }
            PageKind::SectionIndex { section } => {
                sections.entry(section.clone()).or_insert_with(|| Section {
                    name: section.clone(),
                    path: section_path(lang, section),
                    index: Some(i),
                    articles: Vec::new(),
                });
            }
            _ => {}
        }
    }
    for issue in issues.values_mut() {
        issue.articles.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            let weight = |p: &Page| p.front.weight.unwrap_or(i64::MAX);
            weight(pa)
                .cmp(&weight(pb))
                .then_with(|| pb.front.date.cmp(&pa.front.date))
        });
    }
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
    let mut tags: Vec<Tag> = tags.into_values().collect();
    tags.sort_by_key(|t| t.name.to_lowercase());
    Edition {
        lang: lang.to_string(),
        home: find(&PageKind::Home),
        articles,
        standalone,
        sections: sections.into_values().collect(),
        tags,
        issues: issues.into_values().rev().collect(),
    }
}

fn issue_entry<'a>(
    issues: &'a mut BTreeMap<u32, Issue>,
    lang: &str,
    number: u32,
    find: &impl Fn(&PageKind) -> Option<usize>,
) -> &'a mut Issue {
    issues.entry(number).or_insert_with(|| Issue {
        number,
        path: format!("/{lang}/issues/{number}/"),
        intro: find(&PageKind::IssueIntro { number }),
        articles: Vec::new(),
    })
}
