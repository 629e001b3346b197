//! `Site` -> each page's Markdown body rendered (`Rendered`), when first asked for. A build
//! renders only the bodies of the files it writes; `check` and `serve` render them all, in
//! parallel. Broken `@/` links are errors, and images without alt text warnings, at their
//! file line.
//!
//! Each body has a key: a hash of everything its HTML depends on (its text, language, URL,
//! the options, and the site's URLs when it links with `@/`). `serve` keeps bodies by key
//! between rebuilds (`BodyCache`), and the output stage keys files by what they show.
//!
//! A build lets each body go once the files that show it are made (`let_go_after`), keeping
//! only its outline: a large site's bodies are never all in memory at once.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostics, Error, Location, Warning};
use crate::key::{Key, key_of, to_hex};
use crate::markdown::{self, CodeCache, PlainText, RenderOptions, Rendered};
use crate::site::{Page, Site, resolve_link};

/// What any template or output can read of a page's body: the rendered body itself, or a
/// stand-in made from its key (to compute what a file's content depends on without
/// rendering anything: see `render::keys`).
pub(crate) trait BodySource: Send + Sync {
    fn body(&self, id: usize) -> Arc<Rendered>;
    /// What a list shows of page `id`'s body: its word count, reading time, summary and
    /// nesting depth (`Rendered::outline`); the other fields may be empty.
    fn outline(&self, id: usize) -> Arc<Rendered>;
    /// What page `id`'s body is made from.
    fn key(&self, id: usize) -> Key;
    /// How many pages have a body.
    fn len(&self) -> usize;
}

/// A body with what rendering it found wrong.
struct Body {
    /// The whole body, or its outline once a build has let it go.
    rendered: Mutex<Arc<Rendered>>,
    errors: Vec<Error>,
    warnings: Vec<Warning>,
}

struct Slot {
    key: OnceLock<Key>,
    /// Whether an email edition shows the page: its plain text is rendered with its HTML.
    with_text: bool,
    /// A build's Markdown, until its body is rendered (then freed); None: the page's own.
    markdown: Mutex<Option<Arc<str>>>,
    body: OnceLock<Body>,
    /// How many more times a build's files read the whole body (`KEPT`: no count).
    reads_left: AtomicU32,
}

/// What a build keeps of each body for the next one, by source file: its key and warnings.
pub(crate) type StoredBodies = HashMap<std::path::PathBuf, (Key, Vec<Warning>)>;

/// A body no count lets go of.
const KEPT: u32 = u32::MAX;

/// Bodies kept between rebuilds of `serve`, by key, and its highlighted code blocks.
#[derive(Default)]
pub(crate) struct BodyCache {
    bodies: Mutex<HashMap<Key, Arc<Rendered>>>,
    code: CodeCache,
}

impl BodyCache {
    /// Forgets bodies the site no longer has.
    pub(crate) fn keep_only(&self, keys: &HashSet<Key>) {
        if let Ok(mut bodies) = self.bodies.lock() {
            bodies.retain(|k, _| keys.contains(k));
        }
    }
}

/// Every page's body, rendered when first asked for.
pub(crate) struct Bodies {
    config: Arc<Config>,
    site: Arc<Site>,
    slots: Vec<Slot>,
    /// What every `@/` link resolves against: the site's URLs.
    links: Key,
    code: Arc<CodeCache>,
    cache: Option<Arc<BodyCache>>,
    /// Ids the templates use (see `RenderOptions::reserved_ids`).
    reserved_ids: Vec<String>,
    /// A build: what only `check` reads (each body's links and ids) is not kept.
    lean: bool,
    /// A body was read after it was let go: `let_go_after` was given too few reads.
    read_after_let_go: AtomicBool,
}

impl Bodies {
    /// `markdown`, when given, holds the pages' texts taken out of `site` (a build): each is
    /// freed once its body is rendered, which keeps a large site's memory down.
    pub(crate) fn new(
        config: Arc<Config>,
        site: Arc<Site>,
        markdown: Option<Vec<Arc<str>>>,
        cache: Option<Arc<BodyCache>>,
        reserved_ids: Vec<String>,
    ) -> Bodies {
        let in_emails = in_emails(&site);
        let lean = markdown.is_some();
        let mut markdown = markdown.map(Vec::into_iter);
        let slots = (0..site.pages.len())
            .map(|id| Slot {
                key: OnceLock::new(),
                with_text: in_emails.contains(&id),
                markdown: Mutex::new(markdown.as_mut().and_then(Iterator::next)),
                body: OnceLock::new(),
                reads_left: AtomicU32::new(KEPT),
            })
            .collect();
        let mut urls = Vec::new();
        for page in &site.pages {
            for part in [&page.lang, &page.key, &page.path, &page.group] {
                urls.extend_from_slice(&(part.len() as u64).to_le_bytes());
                urls.extend_from_slice(part.as_bytes());
            }
        }
        Bodies {
            lean,
            links: key_of(&[&urls]),
            config,
            site,
            slots,
            code: Arc::default(),
            cache,
            reserved_ids,
            read_after_let_go: AtomicBool::new(false),
        }
    }

    /// A build's files read body `id` whole `reads[id]` times (see `BodyKeys::reads`): past
    /// that, only its outline is kept. Files not made leave their bodies kept.
    pub(crate) fn let_go_after(&self, reads: &[u32]) {
        for (slot, &reads) in self.slots.iter().zip(reads) {
            slot.reads_left.store(reads, Ordering::Relaxed);
        }
    }

    /// The key of page `id`'s body.
    fn body_key(&self, id: usize) -> Key {
        *self.slots[id].key.get_or_init(|| {
            let page = &self.site.pages[id];
            self.with_markdown(id, |markdown| self.compute_key(page, markdown, id))
        })
    }

    fn compute_key(&self, page: &Page, markdown: &str, id: usize) -> Key {
        let config = &self.config;
        let options = format!(
            "{}|{:?}|{:?}|{}|{}|{}|{}",
            config.base_url,
            config.heading_ids,
            config.typography(&page.lang),
            config.highlight_code,
            config.words_per_minute,
            self.slots[id].with_text,
            self.reserved_ids.join(" ")
        );
        // Only a body that links with `@/` depends on where the other pages are.
        let links = if markdown.contains("@/") {
            self.links.to_le_bytes()
        } else {
            [0; 16]
        };
        key_of(&[
            markdown.as_bytes(),
            page.lang.as_bytes(),
            page.path.as_bytes(),
            page.slug.as_bytes(),
            options.as_bytes(),
            &links,
        ])
    }

    /// `f` of page `id`'s Markdown, wherever it is now.
    fn with_markdown<R>(&self, id: usize, f: impl FnOnce(&str) -> R) -> R {
        let taken = self.slots[id]
            .markdown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        match taken {
            Some(markdown) => f(&markdown),
            None => f(&self.site.pages[id].body),
        }
    }

    fn get(&self, id: usize) -> &Body {
        self.slots[id].body.get_or_init(|| {
            let key = self.body_key(id);
            let markdown = self.slots[id]
                .markdown
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .unwrap_or_else(|| self.site.pages[id].body.clone());
            let kept = self
                .cache
                .as_ref()
                .and_then(|c| c.bodies.lock().ok()?.get(&key).cloned());
            let rendered = kept.unwrap_or_else(|| {
                let rendered = Arc::new(self.render(id, &markdown));
                if let Some(cache) = &self.cache
                    && let Ok(mut bodies) = cache.bodies.lock()
                {
                    bodies.insert(key, rendered.clone());
                }
                rendered
            });
            let (errors, warnings) = problems(&self.site.pages[id], &markdown, &rendered);
            let mut rendered = rendered;
            if let Some(body) = Arc::get_mut(&mut rendered).filter(|_| self.lean) {
                body.links = Vec::new();
            }
            // A body only lists show (no file reads it whole) is outlined at once.
            if self.slots[id].reads_left.load(Ordering::Relaxed) == 0 {
                rendered = Arc::new(rendered.outline());
            }
            Body {
                rendered: Mutex::new(rendered),
                errors,
                warnings,
            }
        })
    }

    /// Body `id`, whole; counted against what the build's files read of it.
    fn whole(&self, id: usize) -> Arc<Rendered> {
        let slot = &self.slots[id];
        let mut rendered = lock(&self.get(id).rendered);
        let whole = rendered.clone();
        let left = slot.reads_left.load(Ordering::Relaxed);
        if left == KEPT {
            return whole;
        }
        if left == 0 {
            // Not reached while the counts are right; the build then fails (see `settle`).
            debug_assert!(false, "body {id} read after it was let go");
            self.read_after_let_go.store(true, Ordering::Relaxed);
            return whole;
        }
        // The caller holds the whole body as long as it needs it.
        if slot.reads_left.fetch_sub(1, Ordering::Relaxed) == 1 {
            *rendered = Arc::new(whole.outline());
        }
        whole
    }

    fn render(&self, id: usize, markdown: &str) -> Rendered {
        let (config, site) = (&*self.config, &*self.site);
        let page = &site.pages[id];
        let page_url = config.absolute(&page.path);
        let resolve = |target: &str| resolve_link(config, site, &page.lang, target);
        let id_prefix = format!("{}-", page.slug);
        let code = match &self.cache {
            Some(cache) => &cache.code,
            None => &*self.code,
        };
        let options = RenderOptions {
            french: config.french(&page.lang),
            english: config.english(&page.lang),
            highlight: config.highlight_code,
            id_prefix: &id_prefix,
            reserved_ids: &self.reserved_ids,
            heading_ids: config.heading_ids,
            page_url: &page_url,
            base_url: &config.base_url,
            words_per_minute: config.words_per_minute,
            code_cache: Some(code),
            resolve: &resolve,
        };
        markdown::render_with_text(markdown, &options, self.slots[id].with_text)
    }

    /// Renders every body not rendered yet, in parallel.
    pub(crate) fn render_all(&self) {
        (0..self.slots.len()).into_par_iter().for_each(|id| {
            self.get(id);
        });
    }

    /// Renders the bodies of pages `ids`, in parallel.
    pub(crate) fn render_some(&self, ids: &[usize]) {
        ids.par_iter().for_each(|&id| {
            self.get(id);
        });
    }

    /// Whether page `id`'s body has been rendered.
    pub(crate) fn is_rendered(&self, id: usize) -> bool {
        self.slots[id].body.get().is_some()
    }

    /// The errors and warnings of the bodies rendered so far, in page order.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        for body in self.slots.iter().filter_map(|s| s.body.get()) {
            diagnostics
                .errors
                .extend(body.errors.iter().map(clone_error));
            diagnostics.warnings.extend(body.warnings.iter().cloned());
        }
        diagnostics
    }

    /// Every body's errors and warnings, for a build that rendered only some: a body not
    /// rendered and unchanged since the last build (`previous`, by source file: key and
    /// warnings) gives its warnings again; any other is rendered now. Also gives what to keep
    /// for the next build.
    pub(crate) fn settle(
        &self,
        previous: &StoredBodies,
    ) -> Result<(Diagnostics, StoredBodies), Error> {
        if self.read_after_let_go.load(Ordering::Relaxed) {
            return Err(Error::Bug(
                "a page's body was let go before every file that shows it was made".into(),
            ));
        }
        let pages = &self.site.pages;
        let known = |id: usize| {
            previous
                .get(&pages[id].source)
                .filter(|(key, _)| *key == self.body_key(id))
        };
        let missing: Vec<usize> = (0..self.slots.len())
            .filter(|&id| !self.is_rendered(id) && known(id).is_none())
            .collect();
        self.render_some(&missing);
        let mut diagnostics = Diagnostics::default();
        let mut stored = HashMap::with_capacity(pages.len());
        for (id, page) in pages.iter().enumerate() {
            let warnings = match self.slots[id].body.get() {
                Some(body) => {
                    diagnostics
                        .errors
                        .extend(body.errors.iter().map(clone_error));
                    body.warnings.clone()
                }
                None => known(id).map(|(_, w)| w.clone()).unwrap_or_default(),
            };
            diagnostics.warnings.extend(warnings.iter().cloned());
            stored.insert(page.source.clone(), (self.body_key(id), warnings));
        }
        Ok((diagnostics, stored))
    }

    /// Every body's key.
    pub(crate) fn keys(&self) -> HashSet<Key> {
        (0..self.slots.len()).map(|id| self.body_key(id)).collect()
    }
}

impl BodySource for Bodies {
    fn body(&self, id: usize) -> Arc<Rendered> {
        self.whole(id)
    }

    fn outline(&self, id: usize) -> Arc<Rendered> {
        lock(&self.get(id).rendered).clone()
    }

    fn key(&self, id: usize) -> Key {
        self.body_key(id)
    }

    fn len(&self) -> usize {
        self.slots.len()
    }
}

/// Bodies errors are links and are rebuilt from their parts (an `Error` holds an io error
/// in other variants, which cannot be cloned).
fn clone_error(error: &Error) -> Error {
    match error {
        Error::Link { location, message } => Error::Link {
            location: location.clone(),
            message: message.clone(),
        },
        other => Error::Content {
            location: other
                .location()
                .cloned()
                .unwrap_or_else(|| Location::file("")),
            message: other.to_string(),
        },
    }
}

/// The stand-in bodies that keys are computed from: each page's body is its key, in every
/// field a template can read.
pub(crate) struct BodyKeys {
    keys: Vec<Key>,
    stubs: Vec<Arc<Rendered>>,
    /// How many times each body was read whole (outlines not counted).
    reads: Vec<AtomicU32>,
}

impl BodyKeys {
    pub(crate) fn new(bodies: &dyn BodySource) -> BodyKeys {
        let keys: Vec<Key> = (0..bodies.len())
            .into_par_iter()
            .map(|id| bodies.key(id))
            .collect();
        let stubs = keys
            .iter()
            .map(|&key| {
                let key = to_hex(key);
                Arc::new(Rendered {
                    summary: Some(key.clone()),
                    text: Some(PlainText::verbatim(key.clone())),
                    html: key,
                    ..Rendered::default()
                })
            })
            .collect();
        let reads = keys.iter().map(|_| AtomicU32::new(0)).collect();
        BodyKeys { keys, stubs, reads }
    }

    /// How many times keys read each body whole: as many as rendering the same files will
    /// (`Bodies::let_go_after`).
    pub(crate) fn reads(&self) -> Vec<u32> {
        self.reads
            .iter()
            .map(|r| r.load(Ordering::Relaxed))
            .collect()
    }
}

impl BodySource for BodyKeys {
    fn body(&self, id: usize) -> Arc<Rendered> {
        self.reads[id].fetch_add(1, Ordering::Relaxed);
        self.stubs[id].clone()
    }

    fn outline(&self, id: usize) -> Arc<Rendered> {
        self.stubs[id].clone()
    }

    fn key(&self, id: usize) -> Key {
        self.keys[id]
    }

    fn len(&self) -> usize {
        self.keys.len()
    }
}

/// The pages the email editions show as plain text: each issue's articles and intro.
fn in_emails(site: &Site) -> HashSet<usize> {
    site.editions
        .iter()
        .flat_map(|edition| &edition.issues)
        .flat_map(|issue| issue.articles.iter().copied().chain(issue.intro))
        .collect()
}

/// A body's broken links (errors) and images without alt text (warnings), at their lines
/// in `markdown`, the page's text.
fn problems(page: &Page, markdown: &str, body: &Rendered) -> (Vec<Error>, Vec<Warning>) {
    let at = |offset| Location::from_offset(&page.source, markdown, offset, page.body_line);
    let errors = body
        .errors
        .iter()
        .map(|problem| Error::Link {
            location: at(problem.offset),
            message: problem.message.clone(),
        })
        .collect();
    let warnings = body
        .images_without_alt
        .iter()
        .map(|&offset| Warning {
            location: at(offset),
            message: "image without alt text: describe it for readers who cannot see it, \
                      ![like this](image.png)"
                .into(),
        })
        .chain(body.warnings.iter().map(|problem| Warning {
            location: at(problem.offset),
            message: problem.message.clone(),
        }))
        .collect();
    (errors, warnings)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{self, Content, Files};
    use crate::test_support::fixture_site;
    use crate::{How, plan, read_site};

    /// Files made, what was left of each body, and how many times the files read each.
    type Made = (Vec<(String, Vec<u8>)>, Vec<Arc<Rendered>>, Vec<u32>);

    /// Every file of the bilingual fixture, made as a build makes them (`let_go`: bodies let
    /// go as they are read) or not.
    fn made(let_go: bool) -> Made {
        let (_dir, root) = fixture_site(Some("bilingual"));
        let config = crate::load_config(&root, None).expect("config");
        let mut diagnostics = Diagnostics::default();
        let site = read_site(&config, false, None, &mut diagnostics);
        let how = How {
            relative: false,
            free_markdown: let_go,
        };
        let prepared = plan(config, site, how, None, &mut diagnostics).expect("planned");
        let files = Files::of(&prepared.inputs, 0);
        if let_go {
            prepared.bodies.let_go_after(&files.body_reads);
        }
        let every: Vec<usize> = (0..files.paths.len()).collect();
        let made = Mutex::new(Vec::new());
        render::render_many(&prepared.inputs, &every, |file| {
            if let Content::Bytes(bytes) = file.content {
                lock(&made).push((file.path, bytes));
            }
            Ok(())
        })
        .expect("rendered");
        prepared
            .bodies
            .settle(&StoredBodies::new())
            .expect("no body read after it was let go");
        let left = (0..prepared.bodies.len())
            .map(|id| prepared.bodies.outline(id))
            .collect();
        let mut made = made.into_inner().expect("not poisoned");
        made.sort();
        (made, left, files.body_reads)
    }

    #[test]
    fn a_build_lets_every_body_go_once_its_files_are_made_and_makes_the_same_files() {
        let (kept_files, kept, _) = made(false);
        let (files, left, reads) = made(true);
        assert!(
            reads.iter().filter(|&&r| r >= 2).count() >= 4,
            "pages and emails read bodies: {reads:?}"
        );
        assert!(kept.iter().any(|body| !body.html.is_empty()));
        for (body, whole) in left.iter().zip(&kept) {
            assert!(body.html.is_empty() && body.text.is_none(), "{body:?}");
            assert_eq!(body.summary, whole.summary);
            assert_eq!(body.words, whole.words);
        }
        assert_eq!(files.len(), kept_files.len());
        for ((path, bytes), (kept_path, kept_bytes)) in files.iter().zip(&kept_files) {
            assert_eq!(path, kept_path);
            assert!(bytes == kept_bytes, "{path} differs when bodies are let go");
        }
    }
}
