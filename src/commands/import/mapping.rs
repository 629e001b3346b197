//! An engine's front matter (`toml::Table`, whatever its format) -> `Front`: its keys mapped
//! to gazette's by their meaning in that engine, and the rest kept under `[extra]` and named
//! for the report, since gazette refuses unknown keys.

use std::collections::BTreeMap;

use super::Engine;

/// A page's front matter, read as its engine means it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Front {
    pub title: Option<String>,
    pub date: Option<toml::value::Datetime>,
    pub updated: Option<toml::value::Datetime>,
    pub description: Option<String>,
    /// As written: the engine may allow what gazette does not (capitals, accents).
    pub slug: Option<String>,
    pub tags: Vec<String>,
    /// Other taxonomies (categories, series…) by name, kept as the page writes them.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub draft: bool,
    pub authors: Vec<String>,
    pub translation_key: Option<String>,
    pub weight: Option<i64>,
    pub image: Option<String>,
    /// The engine's own redirects to this page (Hugo and Zola `aliases`, `redirect_from`).
    pub aliases: Vec<String>,
    /// The page's URL as set by hand: Hugo `url`, Zola `path`, Jekyll `permalink`.
    pub url: Option<String>,
    /// Jekyll's `lang` (the other engines say it with the file name).
    pub lang: Option<String>,
    /// Jekyll's `layout`, which decides what some pages are (a tag page, a redirect).
    pub layout: Option<String>,
    pub extra: toml::Table,
    /// Keys kept under `[extra]` because gazette has no such key.
    pub unmapped: Vec<String>,
    /// Values that could not be read as their key means (kept under `[extra]` too).
    pub problems: Vec<String>,
}

/// What a front-matter key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Date,
    /// A date used when there is no `date` (Hugo `publishDate`).
    FallbackDate,
    Updated,
    Description,
    /// A description used when there is none (Hugo `summary`, Jekyll `excerpt`).
    FallbackDescription,
    Slug,
    Tags,
    Taxonomy,
    /// Zola's `[taxonomies]` table.
    Taxonomies,
    Draft,
    /// Jekyll's `published: false`: a draft.
    Published,
    Weight,
    Aliases,
    Authors,
    TranslationKey,
    Url,
    Image,
    Lang,
    Layout,
    /// Zola's `[extra]`: merged into gazette's.
    Extra,
    Keep,
}

/// The role of `key` in `engine`'s front matter; `taxonomies` are the site's other
/// taxonomy names (Hugo's config; Jekyll has `categories`).
fn role(engine: Engine, key: &str, taxonomies: &[String]) -> Role {
    use Role::*;
    let common = match key {
        "title" => Some(Title),
        "date" => Some(Date),
        "description" => Some(Description),
        "slug" => Some(Slug),
        "tags" => Some(Tags),
        "draft" => Some(Draft),
        "weight" => Some(Weight),
        "aliases" => Some(Aliases),
        "authors" | "author" => Some(Authors),
        "image" => Some(Image),
        _ => None,
    };
    if let Some(role) = common {
        return role;
    }
    match engine {
        Engine::Hugo => match key {
            "publishdate" | "pubdate" | "published" => FallbackDate,
            "lastmod" | "modified" => Updated,
            "summary" => FallbackDescription,
            "translationkey" => TranslationKey,
            "url" => Url,
            "images" => Image,
            _ if taxonomies.iter().any(|t| t == key) => Taxonomy,
            _ => Keep,
        },
        Engine::Zola => match key {
            "updated" => Updated,
            "path" => Url,
            "taxonomies" => Taxonomies,
            "extra" => Extra,
            _ => Keep,
        },
        Engine::Jekyll => match key {
            "categories" | "category" => Taxonomy,
            "published" => Published,
            "last_modified_at" => Updated,
            "excerpt" => FallbackDescription,
            "permalink" => Url,
            "redirect_from" => Aliases,
            "lang" => Lang,
            "ref" | "translation_key" | "lang_ref" => TranslationKey,
            "layout" => Layout,
            _ => Keep,
        },
    }
}

/// Reads `fields` as `engine` means them.
pub(crate) fn map(engine: Engine, fields: toml::Table, taxonomies: &[String]) -> Front {
    let mut front = Front::default();
    let mut fallback_date = None;
    let mut fallback_description = None;
    for (key, value) in fields {
        // Hugo reads front-matter keys without regard to case (`Title`, `publishDate`).
        let name = match engine {
            Engine::Hugo => key.to_lowercase(),
            _ => key.clone(),
        };
        let role = role(engine, &name, taxonomies);
        let kept = match role {
            Role::FallbackDate => {
                fallback_date = date_of(&value);
                Some(value).filter(|_| fallback_date.is_none())
            }
            Role::FallbackDescription => {
                fallback_description = text_of(&value).filter(|t| !t.trim().is_empty());
                Some(value).filter(|_| fallback_description.is_none())
            }
            _ => read(&mut front, role, &name, value),
        };
        if let Some(value) = kept {
            if role == Role::Keep || role == Role::Layout {
                front.unmapped.push(key.clone());
            } else {
                front.problems.push(format!(
                    "`{key}` = {} is not what gazette can read: kept under [extra]",
                    short(&value)
                ));
            }
            front.extra.insert(key, value);
        }
    }
    front.date = front.date.or(fallback_date);
    front.description = front.description.or(fallback_description);
    front
}

/// Puts `value` where `role` says; gives it back when it is to be kept under `[extra]`.
fn read(front: &mut Front, role: Role, key: &str, value: toml::Value) -> Option<toml::Value> {
    let unread = |value: toml::Value| Some(value);
    match role {
        Role::Title => match text_of(&value) {
            // An empty title is no title: the importer then names the page by its file.
            Some(title) => front.title = Some(title).filter(|t| !t.trim().is_empty()),
            None => return unread(value),
        },
        Role::Date => match date_of(&value) {
            Some(date) => front.date = Some(date),
            None => return unread(value),
        },
        Role::Updated => match date_of(&value) {
            Some(date) => front.updated = Some(date),
            None => return unread(value),
        },
        Role::Description => front.description = text_of(&value).filter(|t| !t.trim().is_empty()),
        Role::Slug => front.slug = text_of(&value).filter(|s| !s.trim().is_empty()),
        Role::Tags => front.tags.extend(words(&value)),
        Role::Taxonomy => {
            let terms = words(&value);
            let name = if key == "category" { "categories" } else { key };
            front
                .taxonomies
                .entry(name.to_string())
                .or_default()
                .extend(terms);
        }
        Role::Taxonomies => return read_taxonomies(front, value),
        Role::Draft => match truth(&value) {
            Some(draft) => front.draft = draft,
            None => return unread(value),
        },
        Role::Published => front.draft = truth(&value) == Some(false),
        Role::Weight => match value.as_integer() {
            Some(weight) => front.weight = Some(weight),
            None => return unread(value),
        },
        Role::Aliases => front.aliases.extend(list(&value)),
        Role::Authors => front.authors.extend(list(&value)),
        Role::TranslationKey => front.translation_key = text_of(&value),
        Role::Url => front.url = text_of(&value).filter(|u| !u.trim().is_empty()),
        Role::Image => match image_of(&value) {
            Some(image) => front.image = Some(image),
            None => return unread(value),
        },
        Role::Lang => front.lang = text_of(&value),
        Role::Layout => {
            front.layout = text_of(&value);
            return Some(value);
        }
        Role::Extra => match value {
            toml::Value::Table(table) => front.extra.extend(table),
            other => return unread(other),
        },
        Role::Keep | Role::FallbackDate | Role::FallbackDescription => return Some(value),
    }
    None
}

/// Zola's `[taxonomies]`: `tags` are gazette's tags, the others are kept by name.
fn read_taxonomies(front: &mut Front, value: toml::Value) -> Option<toml::Value> {
    let toml::Value::Table(table) = value else {
        return Some(value);
    };
    for (name, terms) in table {
        let terms = words(&terms);
        match name.as_str() {
            "tags" => front.tags.extend(terms),
            _ => front.taxonomies.entry(name).or_default().extend(terms),
        }
    }
    None
}

/// A string, or a number or boolean written where a string was meant (`title: 2024`).
fn text_of(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// A list of strings, or one string as a list of one.
fn list(value: &toml::Value) -> Vec<String> {
    let all: Vec<String> = match value {
        toml::Value::Array(items) => items.iter().filter_map(text_of).collect(),
        other => text_of(other).into_iter().collect(),
    };
    all.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// Taxonomy terms: a list, or a string that Jekyll splits on spaces (`tags: art math`).
fn words(value: &toml::Value) -> Vec<String> {
    match value {
        toml::Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
        other => list(other),
    }
}

/// A boolean, as engines read one: Hugo takes any string that is not "true" as false
/// (`draft: fales` is a published page).
fn truth(value: &toml::Value) -> Option<bool> {
    match value {
        toml::Value::Boolean(b) => Some(*b),
        toml::Value::String(s) => Some(s.trim().eq_ignore_ascii_case("true")),
        toml::Value::Integer(i) => Some(*i != 0),
        _ => None,
    }
}

/// An image: a path, the first of a list (`images`), or a table with a path (`cover.image`,
/// Jekyll SEO's `image.path`).
fn image_of(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        toml::Value::Array(items) => items.iter().find_map(image_of),
        toml::Value::Table(t) => ["path", "image", "src", "url"]
            .iter()
            .find_map(|k| t.get(*k).and_then(image_of)),
        _ => None,
    }
}

/// A date in any form the engines accept, as a TOML date or date-time: `2018-07-26 00:10:31
/// -0500` (Jekyll), `2019-04-14T08:48:49+02:00`, `2021-06-11`, `2020-05-01 16:12`.
pub(crate) fn date_of(value: &toml::Value) -> Option<toml::value::Datetime> {
    let text = match value {
        toml::Value::Datetime(d) => return Some(*d),
        toml::Value::String(s) => s.trim(),
        _ => return None,
    };
    date_text(text)?.parse().ok()
}

/// A date string -> the same instant written as TOML writes it.
pub(crate) fn date_text(text: &str) -> Option<String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    let zoned = [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M %z",
    ];
    if let Some(d) = zoned
        .iter()
        .find_map(|f| DateTime::parse_from_str(text, f).ok())
    {
        return Some(d.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    let local = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    if let Some(d) = local
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    {
        return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
    }
    // A date followed by words Jekyll ignores is not taken: it would be a guess.
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// A value, shortened for a message.
fn short(value: &toml::Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(toml: &str) -> toml::Table {
        toml.parse().unwrap()
    }

    #[test]
    fn hugo_keys_any_case_and_taxonomies() {
        let front = map(
            Engine::Hugo,
            fields(
                "Title = 'T'\npublishDate = '2020-01-02'\nlastmod = 2021-01-01\n\
                 summary = 'S'\ntranslationKey = 'k'\nurl = '/x/'\nauthor = 'A'\n\
                 categories = ['C']\nseries = ['S1']\ncategory = 'ignored by Hugo'\n\
                 showToc = true\ndraft = 'fales'\nimages = ['a.png', 'b.png']",
            ),
            &["categories".into(), "series".into()],
        );
        assert_eq!(front.title.as_deref(), Some("T"));
        assert_eq!(front.date.unwrap().to_string(), "2020-01-02");
        assert_eq!(front.updated.unwrap().to_string(), "2021-01-01");
        assert_eq!(front.description.as_deref(), Some("S"));
        assert_eq!(front.translation_key.as_deref(), Some("k"));
        assert_eq!(front.url.as_deref(), Some("/x/"));
        assert_eq!(front.authors, ["A"]);
        assert_eq!(front.taxonomies["categories"], ["C"]);
        assert_eq!(front.taxonomies["series"], ["S1"]);
        assert!(!front.draft);
        assert_eq!(front.image.as_deref(), Some("a.png"));
        assert_eq!(front.unmapped, ["category", "showToc"]);
        assert!(front.extra.contains_key("showToc"));
    }

    #[test]
    fn zola_taxonomies_and_extra() {
        let front = map(
            Engine::Zola,
            fields(
                "title = 'T'\npath = 'about'\ntemplate = 'page.html'\n\
                 [taxonomies]\ntags = ['a']\ncategories = ['c']\n[extra]\nmermaid = true",
            ),
            &[],
        );
        assert_eq!(front.tags, ["a"]);
        assert_eq!(front.taxonomies["categories"], ["c"]);
        assert_eq!(front.url.as_deref(), Some("about"));
        assert_eq!(front.extra["mermaid"].as_bool(), Some(true));
        assert_eq!(front.unmapped, ["template"]);
    }

    #[test]
    fn jekyll_words_and_redirects() {
        let front = map(
            Engine::Jekyll,
            fields(
                "layout = 'post'\ntags = 'art math'\ncategories = 'jekyll update'\n\
                 lang = 'de'\nref = 'apollon'\ndate = '2018-07-26 00:10:31 -0500'\n\
                 redirect_from = '/old/'\npublished = false\nexcerpt = 'E'",
            ),
            &[],
        );
        assert_eq!(front.tags, ["art", "math"]);
        assert_eq!(front.taxonomies["categories"], ["jekyll", "update"]);
        assert_eq!(front.lang.as_deref(), Some("de"));
        assert_eq!(front.translation_key.as_deref(), Some("apollon"));
        assert_eq!(front.date.unwrap().to_string(), "2018-07-26T00:10:31-05:00");
        assert_eq!(front.aliases, ["/old/"]);
        assert!(front.draft);
        assert_eq!(front.description.as_deref(), Some("E"));
        assert_eq!(front.layout.as_deref(), Some("post"));
        assert_eq!(front.unmapped, ["layout"]);
    }

    #[test]
    fn unreadable_values_are_kept_and_said() {
        let front = map(
            Engine::Hugo,
            fields("date = 'someday'\nweight = 'heavy'"),
            &[],
        );
        assert!(front.date.is_none());
        assert_eq!(front.problems.len(), 2);
        assert_eq!(front.extra["date"].as_str(), Some("someday"));
    }

    #[test]
    fn date_forms() {
        for (text, toml) in [
            ("2019-04-14T08:48:49+02:00", "2019-04-14T08:48:49+02:00"),
            ("2018-06-04 10:00:00 +0200", "2018-06-04T10:00:00+02:00"),
            ("2020-05-01 16:12:23", "2020-05-01T16:12:23"),
            ("2020-05-01 16:12", "2020-05-01T16:12:00"),
            ("2021-06-11", "2021-06-11"),
            ("2021-06-11Z", ""),
        ] {
            assert_eq!(date_text(text).unwrap_or_default(), toml, "{text}");
        }
    }
}
