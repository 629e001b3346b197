//! A Markdown file's text -> `Document { front, body, body_line }`: the `+++` TOML block
//! split off and parsed strictly, with errors at real file lines.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use toml::Spanned;

use crate::config::{toml_error_location, toml_error_message};
use crate::error::{Error, Location, Result};
use crate::source::{SourceFile, SourceKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<Spanned<String>>,
    date: Option<Spanned<toml::Value>>,
    description: Option<String>,
    slug: Option<Spanned<String>>,
    tags: Option<Spanned<Vec<String>>>,
    issue: Option<Spanned<i64>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    authors: Vec<String>,
    translation_key: Option<String>,
    updated: Option<Spanned<toml::Value>>,
    template: Option<Spanned<String>>,
    weight: Option<i64>,
    image: Option<String>,
    aliases: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    extra: toml::Table,
}

/// The keys a front matter may have (`extra` holds anything else).
const KEYS: &[&str] = &[
    "title",
    "date",
    "description",
    "slug",
    "tags",
    "issue",
    "draft",
    "authors",
    "translation_key",
    "updated",
    "template",
    "weight",
    "image",
    "aliases",
    "extra",
];

/// What other engines call what gazette has: a hint for a key gazette does not know.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("excerpt", "description: a summary, plain text"),
    ("summary", "description: a summary, plain text"),
    ("lastmod", "updated"),
    ("last_modified_at", "updated"),
    ("modified", "updated"),
    ("publishdate", "date"),
    ("pubdate", "date"),
    ("published", "date"),
    ("author", "authors = [\"…\"]"),
    ("categories", "tags (gazette has one taxonomy: tags)"),
    ("category", "tags (gazette has one taxonomy: tags)"),
    ("keywords", "tags, or [extra]"),
    (
        "taxonomies",
        "tags = [\"…\"] (gazette has one taxonomy: tags)",
    ),
    ("series", "tags, or [extra]"),
    ("images", "image (one picture, for cards and lists)"),
    ("cover", "image"),
    ("featured_image", "image"),
    ("thumbnail", "image"),
    (
        "url",
        "slug for the last part of the URL, [permalinks] in config.toml for the rest, and aliases for the old URL",
    ),
    (
        "path",
        "slug for the last part of the URL, and aliases for the old URL",
    ),
    ("permalink", "slug, and aliases for the old URL"),
    ("redirect_from", "aliases"),
    ("layout", "template"),
    ("type", "template"),
    ("lang", "the file name's suffix: NAME.fr.md"),
    ("ref", "translation_key"),
    ("translationkey", "translation_key"),
    ("order", "weight"),
    ("sort_by", "[extra] (sections sort newest first)"),
];

/// One error per key the front matter has that gazette does not know, each at its line,
/// with what to write instead where another engine's name is recognised.
fn unknown_keys(front_text: &str, path: &Path) -> Vec<Error> {
    let Ok(table) = toml::de::DeTable::parse(front_text) else {
        // A TOML error: serde reports it, at its place.
        return Vec::new();
    };
    let mut errors = Vec::new();
    for (key, _) in table.get_ref().iter() {
        let name: &str = key.get_ref();
        if KEYS.contains(&name) {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let hint = match OTHER_NAMES.iter().find(|(other, _)| *other == lower) {
            Some((_, instead)) => format!("gazette calls it {instead}; or put it under [extra]"),
            None => match crate::error::closest(name, KEYS.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "valid keys: {}; anything else goes under [extra]",
                    KEYS.join(", ")
                ),
            },
        };
        errors.push(Error::FrontMatter {
            location: Location::from_offset(path, front_text, key.span().start, 2),
            message: format!("unknown key `{name}`: {hint}"),
        });
    }
    errors
}

/// The front matter, validated. Dates without a time are midnight UTC.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontMatter {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub tags: Vec<String>,
    pub issue: Option<u32>,
    pub draft: bool,
    pub authors: Vec<String>,
    pub translation_key: Option<String>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub template: Option<String>,
    pub weight: Option<i64>,
    pub image: Option<String>,
    /// Old URL paths of the page, each redirected to it.
    pub aliases: Vec<String>,
    pub extra: toml::Table,
}

#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub front: Arc<FrontMatter>,
    /// Shared, not copied, between rebuilds of `serve`.
    pub body: Arc<str>,
    /// The file line the body starts at, for messages about the body.
    pub body_line: usize,
}

/// Parses every file's front matter, in parallel: each file with its document, or the
/// error that names the file and line. `cache` (`serve`) keeps documents between rebuilds.
pub(crate) fn parse_all(
    files: Vec<SourceFile>,
    cache: Option<&Cache>,
) -> Vec<Result<(SourceFile, Document)>> {
    use rayon::prelude::*;
    files
        .into_par_iter()
        .map(|file| {
            let needs_date = matches!(file.kind, SourceKind::Article { .. });
            let doc = match cache {
                Some(cache) => cache.parse(&file, needs_date)?,
                None => parse(&file.text, &file.path, needs_date)?,
            };
            Ok((file, doc))
        })
        .collect()
}

/// Parsed front matter by file, reused while the file's text is the same (shared) text.
#[derive(Default)]
pub(crate) struct Cache {
    documents: Mutex<HashMap<OsString, (Arc<str>, Document)>>,
}

impl Cache {
    fn parse(&self, file: &SourceFile, needs_date: bool) -> Result<Document> {
        let kept = self
            .documents
            .lock()
            .ok()
            .and_then(|d| d.get(file.path.as_os_str()).cloned());
        if let Some((text, doc)) = kept
            && Arc::ptr_eq(&text, &file.text)
        {
            return Ok(doc);
        }
        let doc = parse(&file.text, &file.path, needs_date)?;
        if let Ok(mut documents) = self.documents.lock() {
            documents.insert(
                file.path.as_os_str().to_owned(),
                (file.text.clone(), doc.clone()),
            );
        }
        Ok(doc)
    }
}

/// Splits and parses `text` (already BOM- and CRLF-free); `path` is for messages.
/// `needs_date` is true for articles.
pub(crate) fn parse(text: &str, path: &Path, needs_date: bool) -> Result<Document> {
    let (front_text, body, body_line) = split(text, path)?;
    if let Some(error) = Error::from_many(unknown_keys(front_text, path)) {
        return Err(error);
    }
    let raw: RawFront = toml::from_str(front_text).map_err(|e| Error::FrontMatter {
        location: toml_error_location(path, front_text, &e, 2),
        message: toml_error_message(&e),
    })?;
    let front = resolve(raw, path, front_text, needs_date)?;
    Ok(Document {
        front: Arc::new(front),
        body: Arc::from(body),
        body_line,
    })
}

/// Returns (front matter text, body, body's first line).
pub(crate) fn split<'a>(text: &'a str, path: &Path) -> Result<(&'a str, &'a str, usize)> {
    let err = |line: usize, message: &str| Error::FrontMatter {
        location: Location::at(path, line, 1),
        message: message.to_string(),
    };
    if text.trim().is_empty() {
        return Err(err(
            1,
            "empty file: start it with a +++ block holding at least a title",
        ));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        let message = if first.trim_end() == "---" {
            "YAML front matter (---) is not supported: use TOML between +++ lines"
        } else {
            "no front matter: the file must start with a line +++, then TOML \
             (title = \"…\"), then a closing +++"
        };
        return Err(err(1, message));
    }
    let front_start = first.len();
    let mut offset = front_start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "+++" {
            let body_start = offset + line.len();
            return Ok((&text[front_start..offset], &text[body_start..], index + 3));
        }
        offset += line.len();
    }
    Err(err(
        1,
        "the front matter opened here is never closed: add a line with +++ after it",
    ))
}

fn resolve(raw: RawFront, path: &Path, text: &str, needs_date: bool) -> Result<FrontMatter> {
    let at = |span: std::ops::Range<usize>| Location::from_offset(path, text, span.start, 2);
    let error = |location: Location, message: String| Error::FrontMatter { location, message };
    let title = match raw.title {
        Some(title) if !title.get_ref().trim().is_empty() => without_controls(title.into_inner()),
        Some(title) => return Err(error(at(title.span()), "the title is empty".into())),
        None => {
            return Err(error(
                Location::at(path, 1, 1),
                "missing `title`: add title = \"…\" to the front matter".into(),
            ));
        }
    };
    let date = raw.date.map(|d| parse_date(&d, &at)).transpose()?;
    if needs_date && date.is_none() {
        return Err(error(
            Location::at(path, 1, 1),
            "missing `date`: articles need one, e.g. date = 2026-11-27".into(),
        ));
    }
    let updated = raw.updated.map(|d| parse_date(&d, &at)).transpose()?;
    let slug = match raw.slug {
        Some(slug) => Some(check_slug(slug.get_ref()).map_err(|m| error(at(slug.span()), m))?),
        None => None,
    };
    let issue = match raw.issue {
        Some(n) => Some(
            u32::try_from(*n.get_ref())
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    error(
                        at(n.span()),
                        format!(
                            "issue {} must be a number from 1 to {}",
                            n.get_ref(),
                            u32::MAX
                        ),
                    )
                })?,
        ),
        None => None,
    };
    let template = match raw.template {
        Some(t) if is_safe_template_name(t.get_ref()) => Some(t.into_inner()),
        Some(t) => {
            return Err(error(
                at(t.span()),
                format!(
                    "template \"{}\" must be a file name in templates/, e.g. \"wide.html\"",
                    t.get_ref()
                ),
            ));
        }
        None => None,
    };
    Ok(FrontMatter {
        title,
        date,
        description: raw
            .description
            .filter(|d| !d.trim().is_empty())
            .map(without_controls),
        slug,
        tags: match raw.tags {
            Some(raw) => tags(raw, &at)?,
            None => Vec::new(),
        },
        issue,
        draft: raw.draft,
        authors: raw.authors,
        translation_key: raw.translation_key,
        updated,
        template,
        weight: raw.weight,
        image: raw.image.filter(|i| !i.trim().is_empty()),
        aliases: match raw.aliases {
            Some(aliases) => check_aliases(aliases, &at)?,
            None => Vec::new(),
        },
        extra: raw.extra,
    })
}

/// Old URL paths: each starts with `/` and has no `..` nor characters a URL cannot hold.
fn check_aliases(
    raw: Spanned<Vec<String>>,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<Vec<String>> {
    let span = raw.span();
    let aliases = raw.into_inner();
    for alias in &aliases {
        let safe = alias.starts_with('/')
            && !alias.starts_with("//")
            && !alias.split('/').any(|part| part == "..")
            && !alias
                .chars()
                .any(|c| c.is_control() || c == '\\' || c == '"');
        if !safe {
            return Err(Error::FrontMatter {
                location: at(span),
                message: format!(
                    "alias \"{}\" must be a path of this site, from its root: \"/2019/01/old-title/\"",
                    alias.escape_debug()
                ),
            });
        }
    }
    Ok(aliases)
}

/// Most tags a page may have: each tag page lists the page with all its tags, so a page with
/// thousands makes gigabytes of output.
const MOST_TAGS: usize = 100;

/// The tags, blank ones left out, at most `MOST_TAGS`.
fn tags(
    raw: Spanned<Vec<String>>,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<Vec<String>> {
    let span = raw.span();
    let tags: Vec<String> = raw
        .into_inner()
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .collect();
    if tags.len() > MOST_TAGS {
        return Err(Error::FrontMatter {
            location: at(span),
            message: format!(
                "{} tags: a page takes at most {MOST_TAGS} (every tag's page lists it with all \
                 of them)",
                tags.len()
            ),
        });
    }
    Ok(tags)
}

/// Control characters pasted into a title have no meaning and break XML: dropped.
fn without_controls(text: String) -> String {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c == '\t' || c == '\n' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect()
    } else {
        text
    }
}

fn is_safe_template_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['/', '.'])
        && !name.contains('\\')
        && name.split('/').all(|part| !part.is_empty() && part != "..")
}

/// A slug is one URL path segment: lowercase letters, digits, `-`, `_` and `.`.
pub(crate) fn check_slug(slug: &str) -> std::result::Result<String, String> {
    let valid = !slug.is_empty()
        && !slug.starts_with('.')
        && slug.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if valid {
        Ok(slug.to_string())
    } else {
        let suggestion = slug::slugify(slug);
        let hint = if suggestion.is_empty() {
            String::new()
        } else {
            format!(", e.g. slug = \"{suggestion}\"")
        };
        Err(format!(
            "invalid slug \"{}\": a slug is one URL segment of lowercase letters, digits and \
             hyphens{hint}",
            slug.escape_debug()
        ))
    }
}

fn parse_date(
    value: &Spanned<toml::Value>,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Result<DateTime<FixedOffset>> {
    let text = match value.get_ref() {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(Error::FrontMatter {
                location: at(value.span()),
                message: format!(
                    "a date must look like 2026-11-27, not a {}",
                    other.type_str()
                ),
            });
        }
    };
    parse_date_text(text.trim()).ok_or_else(|| Error::FrontMatter {
        location: at(value.span()),
        message: format!("invalid date \"{text}\": write it as 2026-11-27 or 2026-11-27T09:30:00Z"),
    })
}

/// Accepts the forms TOML allows: a date, a local date-time, or an offset date-time.
pub(crate) fn parse_date_text(text: &str) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single();
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .and_then(|d| d.and_local_timezone(utc).single())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Document> {
        parse(text, Path::new("a.md"), true)
    }

    #[test]
    fn splits_and_parses() {
        let doc = parse_str("+++\ntitle = \"T\"\ndate = 2026-11-27\n+++\nBody\n").unwrap();
        assert_eq!(doc.front.title, "T");
        assert_eq!(&*doc.body, "Body\n");
        assert_eq!(doc.body_line, 5);
        assert_eq!(
            doc.front.date.unwrap().to_rfc3339(),
            "2026-11-27T00:00:00+00:00"
        );
    }

    #[test]
    fn errors_point_at_file_lines() {
        let err = parse_str("+++\ntitle = \"T\"\ndate = \"2026-13-01\"\n+++\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a.md:3:8: invalid date \"2026-13-01\""),
            "{err}"
        );
        let err = parse_str("+++\ntitle = \"T\"\ndate = 2026-11-27\ntitel = 1\n+++\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a.md:4:1: unknown key `titel`: did you mean `title`?"),
            "{err}"
        );
        let err = parse_str("+++\ntitle = \"T\n+++\n").unwrap_err();
        assert!(err.to_string().starts_with("a.md:2:"), "{err}");
    }

    #[test]
    fn unclosed_and_missing() {
        assert!(
            parse_str("+++\ntitle = \"T\"\n")
                .unwrap_err()
                .to_string()
                .contains("never closed")
        );
        assert!(
            parse_str("")
                .unwrap_err()
                .to_string()
                .contains("empty file")
        );
        assert!(
            parse_str("# Hi")
                .unwrap_err()
                .to_string()
                .contains("no front matter")
        );
        assert!(
            parse_str("+++\n+++\n")
                .unwrap_err()
                .to_string()
                .contains("missing `title`")
        );
    }

    #[test]
    fn slugs_are_single_segments() {
        for bad in [
            "../../x",
            "/abs",
            "C:\\x",
            "a/../../b",
            "",
            ".hidden",
            "Été",
        ] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert_eq!(check_slug("numero-special").unwrap(), "numero-special");
    }

    #[test]
    fn date_forms() {
        for ok in [
            "2026-11-27",
            "2026-11-27T10:00:00Z",
            "2026-11-27T10:00:00+01:00",
            "2026-11-27 10:00:00",
        ] {
            assert!(parse_date_text(ok).is_some(), "{ok}");
        }
        assert!(parse_date_text("2026-13-01").is_none());
    }
}
