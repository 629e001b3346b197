//! content/ on disk -> `Sources`: every Markdown file read (UTF-8 checked, BOM and CRLF
//! normalised), classified by where it sits, plus the files that live beside bundles.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::lang;

/// What a Markdown file is, from where it sits under content/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceKind {
    /// `_index.LANG.md` at the top: the language home's text.
    Home,
    /// `SECTION/_index.LANG.md`: a section's title and description.
    SectionIndex { section: String },
    /// `issues/N.LANG.md`: issue N's title and editorial.
    IssueIntro { number: u32 },
    /// `SECTION/NAME.LANG.md` or `SECTION/NAME/index.LANG.md`.
    Article { section: String },
    /// `NAME.LANG.md` (or `NAME/index.LANG.md`) at the top: about, subscribe…
    Page,
}

/// One Markdown file, read.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the site root, as shown in messages: `content/articles/x.fr.md`.
    pub path: PathBuf,
    /// Content-relative path without language suffix nor `.md`: `articles/x`,
    /// `articles/bundle/index`. Translations share it (unless they set `translation_key`).
    pub key: String,
    /// File or bundle name, the default slug: `x`, `bundle`.
    pub name: String,
    pub lang: String,
    pub kind: SourceKind,
    /// The bundle folder, relative to content/, for `NAME/index.LANG.md`.
    pub bundle: Option<String>,
    /// The text, without BOM, with `\n` line ends.
    pub text: Arc<str>,
}

/// A file that sits in a bundle folder beside its `index.LANG.md`.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// The bundle folder, relative to content/ (`articles/bundle`).
    pub bundle: String,
    /// Path inside the bundle (`chart.svg`, `img/a.png`).
    pub relative: String,
    /// Where it is on disk.
    pub source: PathBuf,
}

#[derive(Debug, Default)]
pub(crate) struct Sources {
    pub files: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    pub warnings: Vec<crate::error::Warning>,
    /// Files that could not be read; the others are still here.
    pub errors: Vec<Error>,
}

/// Files larger than this are refused: they are not articles, and would stall the build.
pub(crate) const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads every file under content/. Files that cannot be read are in `errors`.
/// A file's text with the modification time and size it was read at.
type Stamped = (std::time::SystemTime, u64, Arc<str>);

/// File texts kept between builds (`serve`), re-read only when size or mtime change.
#[derive(Default)]
pub(crate) struct Cache {
    /// Keyed by the path's bytes: hashing a `Path` parses its components, which is slow.
    texts: std::sync::Mutex<std::collections::HashMap<std::ffi::OsString, Stamped>>,
}

impl Cache {
    pub(crate) fn read(&self, full: &Path, shown: &Path) -> Result<Arc<str>> {
        let meta = std::fs::metadata(full).map_err(|e| Error::io(shown, e))?;
        let stamp = meta.modified().ok();
        if let (Some(stamp), Ok(texts)) = (stamp, self.texts.lock())
            && let Some((mtime, len, text)) = texts.get(full.as_os_str())
            && *mtime == stamp
            && *len == meta.len()
        {
            return Ok(text.clone());
        }
        let text: Arc<str> = Arc::from(read_text(full, shown)?);
        if let (Some(stamp), Ok(mut texts)) = (stamp, self.texts.lock()) {
            texts.insert(
                full.as_os_str().to_owned(),
                (stamp, meta.len(), text.clone()),
            );
        }
        Ok(text)
    }

    /// Forgets the text read from `path`, or from every file under it: the next read goes to
    /// the disk whatever size and time say (`serve` calls it for what its watcher saw change,
    /// which `cp -p` or `rsync -a` may leave with the same size and time).
    pub(crate) fn invalidate(&self, path: &Path) {
        let Ok(mut texts) = self.texts.lock() else {
            return;
        };
        if texts.remove(path.as_os_str()).is_some() || path.is_file() {
            return;
        }
        // A folder, or something gone that may have been one.
        let mut prefix = path.as_os_str().to_owned();
        prefix.push(std::path::MAIN_SEPARATOR_STR);
        let prefix = prefix.as_encoded_bytes();
        texts.retain(|key, _| !key.as_encoded_bytes().starts_with(prefix));
    }
}

/// Reads every file under content/, taking unchanged files from `cache` when there is one.
/// Files that cannot be read are in `errors`.
pub(crate) fn read_content(config: &Config, cache: Option<&Cache>) -> Sources {
    let content = config.content_dir();
    if !content.is_dir() {
        return Sources::default();
    }
    let (markdown, others, mut errors) = walk(&config.root, &content);
    let bundles: Vec<String> = markdown.iter().filter_map(|rel| bundle_of(rel)).collect();
    let read: Vec<Result<SourceFile>> = markdown
        .par_iter()
        .map(|rel| read_markdown(config, rel, cache))
        .collect();
    let mut files = Vec::new();
    for result in read {
        match result {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    let mut sources = Sources {
        files,
        ..Sources::default()
    };
    for rel in others {
        match bundles.iter().find(|b| rel.starts_with(&format!("{b}/"))) {
            Some(bundle) => sources.assets.push(Asset {
                relative: rel[bundle.len() + 1..].to_string(),
                bundle: bundle.clone(),
                source: content.join(&rel),
            }),
            None => sources.warnings.push(crate::error::Warning {
                location: Location::file(Path::new("content").join(&rel)),
                message: "not copied: only files beside an index.LANG.md (a bundle) are \
                          published; put it in static/ or in the article's bundle"
                    .into(),
            }),
        }
    }
    sources.errors = errors;
    sources
}

/// Lists content/ relative paths (with `/`): Markdown files, other files, and walk errors.
fn walk(root: &Path, content: &Path) -> (Vec<String>, Vec<String>, Vec<Error>) {
    let (files, errors) = walk_files(root, content, is_ignored);
    let (markdown, others) = files
        .into_iter()
        .map(|(rel, _)| rel)
        .partition(|rel| rel.ends_with(".md"));
    (markdown, others, errors)
}

/// The files under `dir` (a folder of the site at `root`), sorted, as (path relative to
/// `dir` with `/`, path), without those whose name is `ignored`. Symbolic links are
/// followed, but one that leads outside the site is an error naming it: nothing outside the
/// site folder is ever published. Walk errors (a link loop, an unreadable folder) too.
fn walk_files(
    root: &Path,
    dir: &Path,
    ignored: fn(&str) -> bool,
) -> (Vec<(String, PathBuf)>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return (files, errors);
    }
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| e.depth() == 0 || !ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop: this link points to one of its own parent folders".into()
                } else {
                    format!("cannot read: {e}")
                };
                errors.push(Error::Content {
                    location: Location::file(shown(&path)),
                    message,
                });
                continue;
            }
        };
        if entry.path_is_symlink() {
            let target = std::fs::canonicalize(entry.path());
            if !target.as_ref().is_ok_and(|t| t.starts_with(&site)) {
                let to = target.map_or_else(|_| "nowhere".into(), |t| t.display().to_string());
                errors.push(Error::Content {
                    location: Location::file(shown(entry.path())),
                    message: format!(
                        "this symbolic link leads outside the site folder (to {to}): nothing \
                         outside the site is published; copy the file into the site instead"
                    ),
                });
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, entry.path().to_path_buf()));
        }
    }
    (files, errors)
}

/// Hidden files and editors' temporary files are never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_editor_temp(name)
}

/// Files editors write beside the real one while saving (and version-control folders):
/// never published, even from static/, where other dotfiles (`.well-known/`) are.
pub(crate) fn is_editor_temp(name: &str) -> bool {
    name == ".git"
        || name == ".DS_Store"
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".kate-swp")
        || name.ends_with(".tmp")
        || name.ends_with(".bck")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// Files under `dir` (a folder of the site at `root`), as (name relative to `dir` with `/`,
/// path), hidden and editors' temp files left out; or every link out of the site found.
pub(crate) fn list_files(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    listed(walk_files(root, dir, is_ignored))
}

/// Like `list_files`, keeping dotfiles: static/ may hold `.well-known/` or `.nojekyll`.
pub(crate) fn list_static_files(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    listed(walk_files(root, dir, is_editor_temp))
}

fn listed((files, errors): (Vec<(String, PathBuf)>, Vec<Error>)) -> Result<Vec<(String, PathBuf)>> {
    match Error::from_many(errors) {
        Some(error) => Err(error),
        None => Ok(files),
    }
}

/// `articles/x/index.fr.md` -> `articles/x`.
fn bundle_of(rel: &str) -> Option<String> {
    let (dir, file) = rel.rsplit_once('/')?;
    let (stem, _) = lang::split_suffix(file)?;
    (stem == "index").then(|| dir.to_string())
}

fn read_markdown(config: &Config, rel: &str, cache: Option<&Cache>) -> Result<SourceFile> {
    let path = Path::new("content").join(rel);
    let full = config.content_dir().join(rel);
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let (stem, suffix) = match lang::split_suffix(file) {
        // `notes.old.md`: a three-letter suffix is a language only if the site has it.
        Some((_, Some(code))) if code.len() == 3 && config.language(code).is_none() => {
            (file.strip_suffix(".md").unwrap_or(file), None)
        }
        Some(split) => split,
        None => (file, None),
    };
    let lang = match suffix {
        None => config.default_language.clone(),
        Some(code) if config.language(code).is_some() => code.to_string(),
        Some(code) => {
            let known: Vec<&str> = config.language_codes().collect();
            return Err(Error::Content {
                location: Location::file(&path),
                message: format!(
                    "unknown language suffix \".{code}\": the configured languages are {}",
                    known.join(", ")
                ),
            });
        }
    };
    let kind = classify(dir, stem).map_err(|message| Error::Content {
        location: Location::file(&path),
        message,
    })?;
    let bundle = (stem == "index" && !dir.is_empty()).then(|| dir.to_string());
    let name = match &bundle {
        Some(b) => b.rsplit('/').next().unwrap_or(b).to_string(),
        None => stem.to_string(),
    };
    let key = if dir.is_empty() {
        stem.to_string()
    } else {
        format!("{dir}/{stem}")
    };
    let text = match cache {
        Some(cache) => cache.read(&full, &path)?,
        None => Arc::from(read_text(&full, &path)?),
    };
    Ok(SourceFile {
        path,
        key,
        name,
        lang,
        kind,
        bundle,
        text,
    })
}

fn classify(dir: &str, stem: &str) -> std::result::Result<SourceKind, String> {
    let top = dir.split('/').next().unwrap_or("");
    if top == "issues" {
        return match (dir, stem.parse::<u32>()) {
            ("issues", Ok(number)) if number > 0 => Ok(SourceKind::IssueIntro { number }),
            _ => Err(
                "content/issues/ is reserved for issue intros named N.LANG.md \
                      (e.g. issues/3.fr.md); move this file to a section"
                    .into(),
            ),
        };
    }
    let is_bundle = stem == "index" && !dir.is_empty();
    let section = if is_bundle {
        dir.rsplit_once('/').map_or("", |(parent, _)| parent)
    } else {
        dir
    };
    Ok(match (stem, section) {
        ("_index", "") => SourceKind::Home,
        ("_index", section) => SourceKind::SectionIndex {
            section: section.to_string(),
        },
        (_, "") => SourceKind::Page,
        (_, section) => SourceKind::Article {
            section: section.to_string(),
        },
    })
}

/// Reads a text file: UTF-8 or a clear error with the line and byte; BOM and CRLF removed.
pub(crate) fn read_text(full: &Path, shown: &Path) -> Result<String> {
    use std::io::Read;
    // One path lookup for both the size and the bytes (sites have thousands of files).
    let mut file = std::fs::File::open(full).map_err(|e| Error::io(shown, e))?;
    let meta = file.metadata().map_err(|e| Error::io(shown, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::Content {
            location: Location::file(shown),
            message: format!(
                "file is {} MiB; gazette reads files up to {} MiB",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io(shown, e))?;
    let text = decode(bytes, shown)?;
    Ok(normalise_newlines(text))
}

fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count();
        let line_start = bytes[..offset]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&bytes[line_start..offset])
            .chars()
            .count()
            + 1;
        Error::Encoding {
            location: Location::at(shown, line, col),
            message: format!(
                "not valid UTF-8 (byte {offset}, 0x{:02X}): save the file as UTF-8 \
                 (it looks like Latin-1 or Windows-1252)",
                bytes[offset]
            ),
        }
    })
}

fn normalise_newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify("", "_index"), Ok(SourceKind::Home));
        assert_eq!(classify("", "about"), Ok(SourceKind::Page));
        assert_eq!(
            classify("articles", "x"),
            Ok(SourceKind::Article {
                section: "articles".into()
            })
        );
        assert_eq!(
            classify("articles/x", "index"),
            Ok(SourceKind::Article {
                section: "articles".into()
            })
        );
        assert_eq!(classify("about", "index"), Ok(SourceKind::Page));
        assert_eq!(
            classify("issues", "3"),
            Ok(SourceKind::IssueIntro { number: 3 })
        );
        assert!(classify("issues", "intro").is_err());
    }

    #[test]
    fn latin1_is_an_error_with_line_and_byte() {
        let err = decode(b"+++\ntitle = \"caf\xE9\"\n".to_vec(), Path::new("x.md")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("x.md:2:13: not valid UTF-8 (byte 16, 0xE9)"),
            "{message}"
        );
    }

    #[test]
    fn an_invalidated_text_is_read_again_despite_the_same_size_and_time() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let folder = dir.path().join("news");
        std::fs::create_dir(&folder).expect("mkdir");
        let file = folder.join("a.md");
        std::fs::write(&file, "first").expect("write");
        let modified = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("mtime");
        let cache = Cache::default();
        let read = |cache: &Cache| cache.read(&file, Path::new("a.md")).expect("read");
        assert_eq!(&*read(&cache), "first");
        let rewrite = |text: &str| {
            std::fs::write(&file, text).expect("write");
            let handle = std::fs::File::options().write(true).open(&file);
            handle
                .and_then(|f| f.set_modified(modified))
                .expect("set mtime");
        };
        rewrite("other");
        assert_eq!(
            &*read(&cache),
            "first",
            "same size and time: the cache is trusted"
        );
        cache.invalidate(&file);
        assert_eq!(&*read(&cache), "other");
        rewrite("third");
        cache.invalidate(&folder);
        assert_eq!(
            &*read(&cache),
            "third",
            "a folder forgets the files under it"
        );
    }

    #[test]
    fn bom_and_crlf_are_removed() {
        let text = decode(b"\xEF\xBB\xBF+++\r\nx\r\n".to_vec(), Path::new("x")).unwrap();
        assert_eq!(normalise_newlines(text), "+++\nx\n");
    }
}
