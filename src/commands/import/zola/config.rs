//! Zola's config.toml -> `Settings`: the languages with their titles, feeds and taxonomies.

/// What the importer needs of Zola's config.toml.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    pub base_url: String,
    pub default_lang: String,
    /// Default first.
    pub languages: Vec<ZolaLanguage>,
}

#[derive(Debug, Clone)]
pub(super) struct ZolaLanguage {
    pub code: String,
    pub title: String,
    pub description: String,
    /// Site feed file names (empty when the language has no feed).
    pub feeds: Vec<String>,
    pub taxonomies: Vec<Taxonomy>,
}

#[derive(Debug, Clone)]
pub(super) struct Taxonomy {
    pub name: String,
    pub feed: bool,
    pub paginate_by: Option<usize>,
}

pub(super) fn settings(config: &toml::Table) -> Settings {
    let text = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(String::from);
    let default_lang = text(config, "default_language").unwrap_or_else(|| "en".into());
    let mut languages = vec![language(config, &default_lang, config)];
    if let Some(others) = config.get("languages").and_then(|l| l.as_table()) {
        for (code, value) in others {
            if let (Some(table), true) = (value.as_table(), *code != default_lang) {
                languages.push(language(table, code, config));
            }
        }
    }
    Settings {
        base_url: text(config, "base_url").unwrap_or_else(|| "https://example.org".into()),
        default_lang,
        languages,
    }
}

/// A language's settings: its own table, falling back on the site's for titles.
fn language(table: &toml::Table, code: &str, site: &toml::Table) -> ZolaLanguage {
    let text = |k: &str| {
        table
            .get(k)
            .or(site.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let generate = ["generate_feeds", "generate_feed"]
        .iter()
        .find_map(|k| table.get(*k)?.as_bool())
        .unwrap_or(false);
    let feeds = match (table.get("feed_filenames"), table.get("feed_filename")) {
        (Some(toml::Value::Array(names)), _) => names
            .iter()
            .filter_map(|n| n.as_str().map(String::from))
            .collect(),
        (_, Some(toml::Value::String(name))) => vec![name.clone()],
        _ => vec!["atom.xml".to_string()],
    };
    let taxonomies = table
        .get("taxonomies")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let t = t.as_table()?;
            Some(Taxonomy {
                name: t.get("name")?.as_str()?.to_string(),
                feed: t.get("feed").and_then(|f| f.as_bool()).unwrap_or(false),
                paginate_by: count(t.get("paginate_by")),
            })
        })
        .collect();
    ZolaLanguage {
        code: code.to_string(),
        title: text("title"),
        description: text("description"),
        feeds: if generate { feeds } else { Vec::new() },
        taxonomies,
    }
}

pub(super) fn count(value: Option<&toml::Value>) -> Option<usize> {
    value?
        .as_integer()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
}
