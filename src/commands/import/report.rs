//! What an import did and did not do -> `Report`, printed by the command line: counts, the
//! front-matter keys kept under `[extra]`, and every place left for a person to look at,
//! with its file and line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Something the import could not convert, or converted only in part.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// In the old site, relative to its root; none for the site as a whole.
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Pages written, by language.
    pub pages: BTreeMap<String, usize>,
    pub drafts: usize,
    /// Files copied beside pages, and into static/.
    pub bundle_files: usize,
    pub static_files: usize,
    /// Bundle files of moved pages also copied where the old site had them.
    pub old_files: usize,
    /// Old URLs kept by a page alias, by a `[redirects]` entry, by a feed alias.
    pub aliases: usize,
    pub redirects: usize,
    pub feed_aliases: usize,
    /// Shortcodes and tags converted, by name.
    pub converted: BTreeMap<String, usize>,
    /// Front-matter keys kept under `[extra]`: key -> (files, first file).
    pub kept_keys: BTreeMap<String, (usize, PathBuf)>,
    /// Left for a person: unknown shortcodes, values that could not be read, skipped files.
    pub notes: Vec<Note>,
    /// What `gazette check` says of the result: errors first.
    pub check_errors: Vec<String>,
    pub check_warnings: usize,
}

impl Report {
    pub(crate) fn note(&mut self, path: impl Into<PathBuf>, line: Option<usize>, message: String) {
        self.notes.push(Note {
            path: Some(path.into()),
            line,
            message,
        });
    }

    pub(crate) fn site_note(&mut self, message: String) {
        self.notes.push(Note {
            path: None,
            line: None,
            message,
        });
    }

    pub(crate) fn converted(&mut self, name: &str) {
        *self.converted.entry(name.to_string()).or_default() += 1;
    }

    pub(crate) fn kept_key(&mut self, key: &str, path: &std::path::Path) {
        self.kept_keys
            .entry(key.to_string())
            .or_insert_with(|| (0, path.to_path_buf()))
            .0 += 1;
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(path), Some(line)) => write!(f, "{}:{line}: {}", path.display(), self.message),
            (Some(path), None) => write!(f, "{}: {}", path.display(), self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pages: Vec<String> = self
            .pages
            .iter()
            .map(|(lang, n)| format!("{n} {lang}"))
            .collect();
        writeln!(
            f,
            "converted {} pages ({}), {} of them drafts; copied {} bundle files and {} static files",
            self.pages.values().sum::<usize>(),
            pages.join(", "),
            self.drafts,
            self.bundle_files,
            self.static_files
        )?;
        writeln!(
            f,
            "old URLs kept: {} page aliases, {} redirects, {} feed aliases, {} bundle files \
             also at their old place",
            self.aliases, self.redirects, self.feed_aliases, self.old_files
        )?;
        if !self.converted.is_empty() {
            let list: Vec<String> = self
                .converted
                .iter()
                .map(|(name, n)| format!("{name} ×{n}"))
                .collect();
            writeln!(f, "converted: {}", list.join(", "))?;
        }
        if !self.kept_keys.is_empty() {
            writeln!(
                f,
                "front-matter keys gazette has no use for, kept under [extra]:"
            )?;
            for (key, (n, first)) in &self.kept_keys {
                writeln!(f, "  {key}: {n} file(s), e.g. {}", first.display())?;
            }
        }
        if !self.notes.is_empty() {
            writeln!(f, "left to do by hand ({}):", self.notes.len())?;
            for note in &self.notes {
                writeln!(f, "  {note}")?;
            }
        }
        match self.check_errors.len() {
            0 => writeln!(
                f,
                "gazette check: no errors ({} warnings)",
                self.check_warnings
            ),
            n => {
                writeln!(f, "gazette check: {n} errors:")?;
                for error in &self.check_errors {
                    writeln!(f, "  {error}")?;
                }
                Ok(())
            }
        }
    }
}
