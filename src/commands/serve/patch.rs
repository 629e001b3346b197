//! `serve`'s fast rebuild. An edit of existing pages that changes their text, or what their
//! front matter only shows (title, description, authors, image, `extra`), leaves every URL,
//! list, tag and issue where it was: the last build is reused with those pages updated and
//! their bodies rendered again, and lists, feeds and emails, rendered on demand, show the
//! change. Anything else (a new, moved or deleted file; a change of date, slug, tags, issue,
//! weight, draft, template or translation key; a template, static or config change) goes
//! through the whole pipeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::bodies::Bodies;
use crate::error::Diagnostics;
use crate::frontmatter::{self, FrontMatter};
use crate::{Caches, Prepared, site};

/// `previous` with the new versions of `changed`, or None when the edit may move a page.
/// `root` is the site's root as the watcher reports paths (canonical).
pub(crate) fn patch_bodies(
    previous: &Prepared,
    root: &Path,
    changed: &[PathBuf],
    caches: &Caches,
) -> Option<(Option<Prepared>, Diagnostics)> {
    let mut edits = Vec::new();
    for path in changed {
        let shown = path.strip_prefix(root).ok()?;
        if !shown.starts_with("content") {
            return None;
        }
        let page = previous
            .inputs
            .site
            .pages
            .iter()
            .position(|p| p.source.as_os_str() == shown.as_os_str());
        let Some(id) = page else {
            if is_transient(previous, path, shown) {
                continue;
            }
            return None;
        };
        if edits.iter().any(|(other, _)| *other == id) {
            continue;
        }
        let page = &previous.inputs.site.pages[id];
        let text = caches.sources.read(path, shown).ok()?;
        let doc = frontmatter::parse(&text, shown, page.is_article()).ok()?;
        if !same_place(&doc.front, &page.front) {
            return None;
        }
        if !same_front_matter(&doc.front, &page.front)
            || doc.body != page.body
            || doc.body_line != page.body_line
        {
            edits.push((id, doc));
        }
    }
    let config = previous.inputs.config.clone();
    let mut site = (*previous.inputs.site).clone();
    let mut retitled = false;
    for (id, doc) in &edits {
        let page = Arc::make_mut(&mut site.pages[*id]);
        retitled |= doc.front.title != page.front.title;
        page.title = config.typeset(&page.lang, &doc.front.title);
        page.description = doc
            .front
            .description
            .as_deref()
            .map(|d| config.typeset(&page.lang, d));
        page.front = doc.front.clone();
        page.body = doc.body.clone();
        page.body_line = doc.body_line;
    }
    if retitled {
        // Titles order pages of the same date, and standalone pages; a tag is named after
        // its newest article's spelling, so the tags' order may change too, and with it the
        // files the plan gave each tag: then only a full rebuild will do.
        let editions = site::editions_of(&config, &site.pages)?;
        if shape(&editions) != shape(&site.editions) {
            return None;
        }
        site.editions = Arc::new(editions);
    }
    let ids: Vec<usize> = edits.iter().map(|(id, _)| *id).collect();
    let site = Arc::new(site);
    let bodies = Arc::new(Bodies::new(
        config.clone(),
        site.clone(),
        None,
        Some(caches.bodies.clone()),
        previous.inputs.theme.ids(),
    ));
    // Only the edited bodies can hold new mistakes: the others come from the cache.
    bodies.render_some(&ids);
    let diagnostics = bodies.diagnostics();
    if !diagnostics.errors.is_empty() {
        return Some((None, diagnostics));
    }
    let inputs = crate::render::Inputs::new(
        config,
        site,
        previous.inputs.theme.clone(),
        previous.inputs.plan.clone(),
        bodies.clone(),
        false,
    );
    Some((Some(Prepared { inputs, bodies }), diagnostics))
}

/// A file that came and went between two rebuilds (a tool's temporary file, such as sed's):
/// gone now, and neither a page, a bundle file, nor a folder holding one.
fn is_transient(previous: &Prepared, path: &Path, shown: &Path) -> bool {
    path.symlink_metadata().is_err()
        && !previous
            .inputs
            .site
            .pages
            .iter()
            .any(|p| p.source.starts_with(shown))
        && !previous.inputs.site.assets.iter().any(|a| {
            a.source
                .strip_prefix(&previous.inputs.config.root)
                .unwrap_or(&a.source)
                .starts_with(shown)
        })
}

/// What the plan's files depend on in the editions: every list's URL and length, in order.
fn shape(editions: &[site::Edition]) -> Vec<(String, usize)> {
    let mut shape = Vec::new();
    for edition in editions {
        shape.push((edition.lang.clone(), edition.articles.len()));
        shape.push((String::new(), edition.standalone.len()));
        shape.extend(
            edition
                .sections
                .iter()
                .map(|s| (s.path.clone(), s.articles.len())),
        );
        shape.extend(
            edition
                .tags
                .iter()
                .map(|t| (t.path.clone(), t.articles.len())),
        );
        shape.extend(
            edition
                .issues
                .iter()
                .map(|i| (i.path.clone(), i.articles.len())),
        );
    }
    shape
}

/// Whether the page keeps its URL, its place in every list, tag and issue, and its template:
/// all front matter but the title, description, authors, image and `extra` is the same.
fn same_place(a: &FrontMatter, b: &FrontMatter) -> bool {
    let shown = |f: &FrontMatter| FrontMatter {
        title: String::new(),
        description: None,
        authors: Vec::new(),
        image: None,
        extra: toml::Table::new(),
        ..f.clone()
    };
    same_front_matter(&shown(a), &shown(b))
}

/// Equal values, and dates in the same offsets (`==` on dates compares instants alone, and
/// pages show the offset's local date).
fn same_front_matter(a: &FrontMatter, b: &FrontMatter) -> bool {
    let offsets = |f: &FrontMatter| {
        (
            f.date.map(|d| d.offset().local_minus_utc()),
            f.updated.map(|d| d.offset().local_minus_utc()),
        )
    };
    a == b && offsets(a) == offsets(b)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::bodies::BodySource;
    use crate::test_support::{article, fixture_site};
    use crate::{How, plan, read_site};

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("writing a fixture file");
    }

    /// The site read and planned as `serve` holds it, with the caches it keeps.
    fn prepared_for_serve(root: &Path) -> (Prepared, Caches) {
        let caches = Caches::default();
        let config = crate::load_config(root, None).expect("config");
        let mut diagnostics = Diagnostics::default();
        let site = read_site(&config, false, Some(&caches), &mut diagnostics);
        let cache = Some(caches.bodies.clone());
        let prepared = plan(config, site, How::default(), cache, &mut diagnostics);
        assert!(diagnostics.errors.is_empty(), "{:?}", diagnostics.errors);
        let prepared = prepared.expect("prepared");
        prepared.bodies.render_all();
        (prepared, caches)
    }

    #[test]
    fn serve_patches_text_and_title_edits_and_rebuilds_everything_else() {
        let (_dir, site) = fixture_site(Some("bilingual"));
        let (prepared, caches) = prepared_for_serve(&site);
        let root = std::fs::canonicalize(&site).unwrap();
        let file = root.join("content/news/first.en.md");
        let patch =
            |changed: &[std::path::PathBuf]| patch_bodies(&prepared, &root, changed, &caches);
        let text = std::fs::read_to_string(&file).unwrap();

        std::fs::write(&file, text.replace("Text with a note", "Prose with a note")).unwrap();
        // A tool's temporary file that came and went (sed -i) is part of the same batch.
        let gone = root.join("content/news/sedX1b2c3");
        let (patched, diagnostics) = patch(&[gone, file.clone()]).expect("a text edit is patched");
        assert!(diagnostics.errors.is_empty());
        let patched = patched.expect("no error");
        let id = patched
            .inputs
            .site
            .pages
            .iter()
            .position(|p| p.source.ends_with("news/first.en.md"))
            .unwrap();
        assert!(patched.bodies.body(id).html.contains("Prose with a note"));
        assert!(
            patched.inputs.site.pages[id]
                .body
                .contains("Prose with a note")
        );
        assert!(
            prepared.inputs.site.pages[id]
                .body
                .contains("Text with a note"),
            "the build it was patched from is untouched"
        );

        // What front matter only shows is patched too; titles are typeset.
        std::fs::write(
            &file,
            text.replace("First article: hello!", "Main article: hi!"),
        )
        .unwrap();
        let (patched, _) = patch(std::slice::from_ref(&file)).expect("a title edit is patched");
        let patched = patched.expect("no error");
        assert_eq!(patched.inputs.site.pages[id].title, "Main article: hi!");
        assert_eq!(
            patched.inputs.site.pages[id].front.title,
            "Main article: hi!"
        );
        for (field, edited) in [
            (
                "tags",
                text.replace("tags = [\"Rust\", \"Security\"]", "tags = [\"Rust\"]"),
            ),
            ("issue", text.replace("issue = 1", "issue = 2")),
            ("weight", text.replace("weight = 2", "weight = 3")),
            (
                "date",
                text.replace("date = 2026-11-27", "date = 2026-11-28"),
            ),
        ] {
            std::fs::write(&file, edited).unwrap();
            assert!(
                patch(std::slice::from_ref(&file)).is_none(),
                "a {field} edit moves the page"
            );
        }
        std::fs::write(
            &file,
            text.replace("date = 2026-11-27", "date = 2026-11-27T01:00:00+01:00"),
        )
        .unwrap();
        assert!(
            patch(std::slice::from_ref(&file)).is_none(),
            "the same instant in another offset shows another date"
        );
        std::fs::write(&file, &text).unwrap();
        let new = root.join("content/news/new.en.md");
        std::fs::write(&new, article("New", "", "Text.")).unwrap();
        assert!(patch(&[new]).is_none(), "a new file");
        let asset = root.join("content/news/bundle/pic.svg");
        std::fs::remove_file(&asset).unwrap();
        assert!(patch(&[asset]).is_none(), "a deleted bundle file");
        let static_file = root.join("static/CNAME");
        assert!(patch(&[static_file]).is_none(), "a static file");
        std::fs::remove_file(&file).unwrap();
        assert!(patch(&[file]).is_none(), "a deleted file");
    }

    #[test]
    fn a_patched_title_orders_pages_of_the_same_date_again() {
        let (_dir, site) = fixture_site(None);
        for (file, title) in [("a", "Alpha"), ("b", "Bravo")] {
            write(
                &site,
                &format!("content/news/{file}.en.md"),
                &format!("+++\ntitle = \"{title}\"\ndate = 2026-11-01\n+++\nText.\n"),
            );
        }
        let (prepared, caches) = prepared_for_serve(&site);
        let titles = |prepared: &Prepared| -> Vec<String> {
            let edition = prepared
                .inputs
                .site
                .editions
                .iter()
                .find(|e| e.lang == "en")
                .expect("an English edition");
            edition
                .articles
                .iter()
                .map(|&i| prepared.inputs.site.pages[i].title.clone())
                .collect()
        };
        assert_eq!(titles(&prepared), ["Alpha", "Bravo"]);
        let root = std::fs::canonicalize(&site).unwrap();
        let file = root.join("content/news/a.en.md");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("Alpha", "Zulu")).unwrap();
        let (patched, _) =
            patch_bodies(&prepared, &root, &[file], &caches).expect("a title edit is patched");
        assert_eq!(titles(&patched.expect("no error")), ["Bravo", "Zulu"]);
    }

    #[test]
    fn a_retitle_that_reorders_tags_is_not_patched() {
        let (_dir, site) = fixture_site(None);
        for (file, title, date, tag) in [
            ("a", "Alpha", "2026-11-01", "Sécurité"),
            ("b", "Beta", "2026-11-01", "Securite"),
            ("c", "Gamma", "2026-10-01", "Security"),
        ] {
            write(
                &site,
                &format!("content/news/{file}.fr.md"),
                &format!(
                    "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [\"{tag}\"]\n+++\nTexte.\n"
                ),
            );
        }
        let (prepared, caches) = prepared_for_serve(&site);
        let root = std::fs::canonicalize(&site).unwrap();
        let file = root.join("content/news/a.fr.md");
        let text = std::fs::read_to_string(&file).unwrap();
        // "Beta" now comes first among the articles of that date: the tag is named "Securite",
        // which sorts before "Security" where "Sécurité" sorted after it.
        std::fs::write(&file, text.replace("Alpha", "Zulu")).unwrap();
        assert!(patch_bodies(&prepared, &root, &[file], &caches).is_none());
    }
}
