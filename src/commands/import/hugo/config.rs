//! Hugo's configuration (`hugo.*`/`config.*` in TOML, YAML or JSON, and `config/_default/`)
//! -> `Settings`: what the importer needs of it, keys read without regard to case as Hugo
//! reads them.

use std::collections::BTreeMap;
use std::path::Path;

use super::super::{front, walk};
use crate::error::{Error, Location, Result};

/// What the importer needs of Hugo's configuration.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    pub base_url: String,
    pub default_lang: String,
    pub in_subdir: bool,
    /// By weight, then code.
    pub languages: Vec<HugoLanguage>,
    pub content_dir: String,
    pub static_dirs: Vec<String>,
    pub paginate: usize,
    pub permalinks: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub(super) struct HugoLanguage {
    pub code: String,
    pub title: String,
    pub description: String,
    pub content_dir: Option<String>,
    /// (singular, plural).
    pub taxonomies: Vec<(String, String)>,
}

/// `hugo.*` or `config.*` at the root, merged with `config/_default/*` (each file a key).
pub(super) fn load_config(root: &Path) -> Result<toml::Table> {
    let mut config = toml::Table::new();
    let mut found = false;
    for name in ["hugo", "config"] {
        for ext in ["toml", "yaml", "yml", "json"] {
            let path = root.join(format!("{name}.{ext}"));
            if path.is_file() {
                merge(&mut config, read_table(&path)?);
                found = true;
            }
        }
    }
    let dir = root.join("config/_default");
    for (rel, path) in walk::files(&dir, &|_| false).files {
        let Some((stem, _)) = rel.rsplit_once('.').filter(|(s, _)| !s.contains('/')) else {
            continue;
        };
        let table = read_table(&path)?;
        match stem {
            "hugo" | "config" => merge(&mut config, table),
            key => merge(
                &mut config,
                toml::Table::from_iter([(key.into(), table.into())]),
            ),
        }
        found = true;
    }
    if !found {
        return Err(Error::Config {
            location: Location::file(root.join("hugo.toml")),
            message: "no Hugo configuration here (hugo.toml, config.toml, config.yaml or \
                      config/_default/): is this a Hugo site?"
                .into(),
        });
    }
    Ok(lowercase_keys(config))
}

fn read_table(path: &Path) -> Result<toml::Table> {
    let text = walk::read_text(path).map_err(|message| Error::Config {
        location: Location::file(path),
        message,
    })?;
    let parsed = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => front::parse_toml(&text).map(|fields| front::Parsed {
            fields,
            body: String::new(),
            body_line: 1,
            has_front: true,
        }),
        Some("json") => front::parse(&text),
        _ => front::yaml_table(&text).map(|fields| front::Parsed {
            fields,
            body: String::new(),
            body_line: 1,
            has_front: true,
        }),
    };
    parsed.map(|p| p.fields).map_err(|e| Error::Config {
        location: Location::at(path, e.line, 0),
        message: e.message,
    })
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(old)), toml::Value::Table(new)) => merge(old, new),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// Hugo reads configuration keys without regard to case (`baseURL`, `defaultContentLanguage`).
fn lowercase_keys(table: toml::Table) -> toml::Table {
    table
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                toml::Value::Table(t) => toml::Value::Table(lowercase_keys(t)),
                other => other,
            };
            (k.to_lowercase(), v)
        })
        .collect()
}

fn text(table: &toml::Table, key: &str) -> Option<String> {
    match table.get(key)? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

pub(super) fn settings(config: &toml::Table) -> Settings {
    let default_lang = text(config, "defaultcontentlanguage").unwrap_or_else(|| "en".into());
    let number = |v: Option<&toml::Value>| match v? {
        toml::Value::Integer(i) => usize::try_from(*i).ok(),
        toml::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let paginate = number(config.get("paginate"))
        .or_else(|| number(table(config, "pagination")?.get("pagersize")))
        .filter(|n| *n > 0)
        .unwrap_or(10);
    let static_dirs = match config.get("staticdir") {
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => vec!["static".into()],
    };
    Settings {
        base_url: text(config, "baseurl").unwrap_or_else(|| "https://example.org".into()),
        languages: languages(config, &default_lang),
        in_subdir: config
            .get("defaultcontentlanguageinsubdir")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false),
        default_lang,
        content_dir: text(config, "contentdir").unwrap_or_else(|| "content".into()),
        static_dirs,
        paginate,
        permalinks: permalinks(config),
    }
}

fn table<'a>(config: &'a toml::Table, key: &str) -> Option<&'a toml::Table> {
    config.get(key)?.as_table()
}

/// `[permalinks]`, or (Hugo ≥ 0.120) `[permalinks.page]`: section -> pattern.
fn permalinks(config: &toml::Table) -> BTreeMap<String, String> {
    let Some(all) = table(config, "permalinks") else {
        return BTreeMap::new();
    };
    let source = table(all, "page").unwrap_or(all);
    source
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// The languages, default first then by weight; one (the default) when none is configured.
fn languages(config: &toml::Table, default_lang: &str) -> Vec<HugoLanguage> {
    let site_title = text(config, "title").unwrap_or_default();
    let site_description = table(config, "params")
        .and_then(|p| text(p, "description"))
        .unwrap_or_default();
    let site_taxonomies = taxonomies(config.get("taxonomies"));
    let mut languages: Vec<(i64, HugoLanguage)> = table(config, "languages")
        .into_iter()
        .flatten()
        .filter_map(|(code, value)| {
            let l = value.as_table()?;
            let description = table(l, "params")
                .and_then(|p| text(p, "description"))
                .or_else(|| text(l, "description"));
            let language = HugoLanguage {
                code: code.clone(),
                title: text(l, "title").unwrap_or_else(|| site_title.clone()),
                description: description.unwrap_or_else(|| site_description.clone()),
                content_dir: text(l, "contentdir"),
                taxonomies: match l.get("taxonomies") {
                    Some(t) => taxonomies(Some(t)),
                    None => site_taxonomies.clone(),
                },
            };
            Some((
                l.get("weight")
                    .and_then(toml::Value::as_integer)
                    .unwrap_or(0),
                language,
            ))
        })
        .collect();
    if !languages.iter().any(|(_, l)| l.code == default_lang) {
        let language = HugoLanguage {
            code: default_lang.to_string(),
            title: site_title,
            description: site_description,
            content_dir: None,
            taxonomies: site_taxonomies,
        };
        languages.push((i64::MIN, language));
    }
    languages.sort_by(|(wa, a), (wb, b)| {
        (a.code != default_lang, *wa, &a.code).cmp(&(b.code != default_lang, *wb, &b.code))
    });
    languages.into_iter().map(|(_, l)| l).collect()
}

/// `[taxonomies]` singular -> plural; Hugo's default is tags and categories.
fn taxonomies(value: Option<&toml::Value>) -> Vec<(String, String)> {
    match value.and_then(toml::Value::as_table) {
        Some(t) => t
            .iter()
            .filter_map(|(s, p)| Some((s.clone(), p.as_str()?.to_lowercase())))
            .collect(),
        None => vec![
            ("tag".into(), "tags".into()),
            ("category".into(), "categories".into()),
        ],
    }
}
