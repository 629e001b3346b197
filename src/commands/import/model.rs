//! The imported site as plain data, whatever engine it came from: what each engine reader
//! makes (`Site`), and what `place` and `write` turn into a gazette site.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::mapping::Front;
use super::report::Report;

/// Where a page goes in a gazette site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// `content/_index.LANG.md`.
    Home,
    /// `content/SECTION/_index.LANG.md`.
    SectionIndex(String),
    /// `content/SECTION/NAME.LANG.md`, or `NAME/index.LANG.md` with files beside it.
    Article(String),
    /// `content/NAME.LANG.md`.
    Standalone,
}

/// One page of the old site.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Path in the old site, relative to its root, for messages: `content/posts/x.md`.
    pub source: PathBuf,
    pub lang: String,
    pub place: Place,
    /// The file or bundle name it gets in gazette (without language suffix).
    pub name: String,
    pub front: Front,
    pub body: String,
    /// The body's first line in the source file, for messages about the body.
    pub body_line: usize,
    /// Where the old site published it (a URL path starting with `/`), if it did.
    pub old_url: Option<String>,
    /// Written as `NAME/index.LANG.md` (a bundle in the old site keeps its shape, and so
    /// the paths of `@/` links to it).
    pub bundle: bool,
    /// Files that go beside it: (file on disk, path inside the bundle).
    pub files: Vec<(PathBuf, String)>,
    /// The names other pages' internal links may call it by (Hugo `ref`, Zola `@/`,
    /// Jekyll `link` and `post_url`), without `#anchor`.
    pub refs: Vec<String>,
}

/// What an old URL that is not one page's (a list, a feed, a language root) leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A language's home; page 1, 2… of its list.
    Home { lang: String, page: usize },
    Section {
        lang: String,
        section: String,
        page: usize,
    },
    /// The list of tags.
    Tags { lang: String },
    /// A tag's page (the term as written), page 1, 2… of its list.
    Tag {
        lang: String,
        term: String,
        page: usize,
    },
    /// A feed: gazette serves the language's feed there.
    Feed { lang: String, kind: FeedKind },
    /// The page for a URL the site does not have (`/404.html`).
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedKind {
    Rss,
    Atom,
}

impl FeedKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss",
            FeedKind::Atom => "atom",
        }
    }
}

/// A language of the site.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Language {
    pub code: String,
    pub title: String,
    pub description: String,
}

/// The old site, read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    pub base_url: String,
    /// Default first.
    pub languages: Vec<Language>,
    /// The default language served at `/` (not `/LANG/`).
    pub default_at_root: bool,
    pub paginate_by: Option<usize>,
    /// gazette permalink patterns by section.
    pub permalinks: BTreeMap<String, String>,
    /// Heading anchors made as this engine makes them.
    pub heading_ids: &'static str,
    pub pages: Vec<Page>,
    /// Files for static/: (file on disk, path under static/).
    pub statics: Vec<(PathBuf, String)>,
    /// Old URLs that are not a page's: lists, tags, feeds, language roots.
    pub old_urls: Vec<(String, Target)>,
    /// Config values gazette has no key for, kept under `[extra]`.
    pub extra: toml::Table,
    pub report: Report,
}

impl Site {
    pub(crate) fn default_language(&self) -> &str {
        self.languages.first().map_or("en", |l| l.code.as_str())
    }

    /// The URL path prefix of a language's pages in gazette: `/` or `/fr/`.
    pub(crate) fn home_path(&self, lang: &str) -> String {
        if self.default_at_root && lang == self.default_language() {
            "/".into()
        } else {
            format!("/{lang}/")
        }
    }
}
