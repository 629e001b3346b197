//! Jekyll's _config.yml -> `Settings`, and what Jekyll leaves out of a site.

use std::path::Path;

use super::super::{front, walk};
use crate::error::{Error, Location, Result};

/// What the importer needs of _config.yml.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    pub base_url: String,
    /// The posts' permalink pattern (a style name expanded).
    pub permalink: String,
    /// Pages get `/x/` rather than `/x.html` (a permalink style ending with `/`).
    pub pretty_pages: bool,
    /// polyglot's languages: each but the default is published under `/LANG/`.
    pub polyglot: Vec<String>,
    pub default_lang: Option<String>,
    pub plugins: Vec<String>,
    pub paginate: Option<usize>,
    pub paginate_path: String,
    pub exclude: Vec<String>,
    pub config: toml::Table,
}

pub(super) fn settings(root: &Path) -> Result<Settings> {
    let path = root.join("_config.yml");
    let config = match walk::read_text(&path) {
        Ok(text) => front::yaml_table(&text).map_err(|e| Error::Config {
            location: Location::at(&path, e.line, 0),
            message: e.message,
        })?,
        Err(_) if root.join("_posts").is_dir() => toml::Table::new(),
        Err(message) => {
            return Err(Error::Config {
                location: Location::file(&path),
                message: format!("{message}: is this a Jekyll site?"),
            });
        }
    };
    let text = |k: &str| config.get(k).and_then(|v| v.as_str()).map(String::from);
    let list = |k: &str| -> Vec<String> {
        match config.get(k) {
            Some(toml::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            Some(toml::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let permalink = permalink_style(&text("permalink").unwrap_or_else(|| "date".into()));
    let mut plugins = list("plugins");
    plugins.extend(list("gems"));
    // Plugins a Gemfile's `:jekyll_plugins` group loads without a word in _config.yml.
    if let Ok(gemfile) = walk::read_text(&root.join("Gemfile")) {
        for name in ["jekyll-feed", "jekyll-redirect-from", "jekyll-paginate"] {
            if gemfile.contains(&format!("\"{name}\"")) || gemfile.contains(&format!("'{name}'")) {
                plugins.push(name.to_string());
            }
        }
    }
    let url = text("url")
        .filter(|u| u.starts_with("http"))
        .unwrap_or_else(|| "https://example.org".into());
    Ok(Settings {
        base_url: format!("{url}{}", text("baseurl").unwrap_or_default()),
        pretty_pages: permalink.ends_with('/'),
        permalink,
        polyglot: list("languages"),
        default_lang: text("default_lang").or_else(|| text("lang")),
        plugins,
        paginate: config
            .get("paginate")
            .and_then(|p| p.as_integer())
            .and_then(|p| usize::try_from(p).ok())
            .filter(|p| *p > 0),
        paginate_path: text("paginate_path").unwrap_or_else(|| "/page:num/".into()),
        exclude: list("exclude"),
        config,
    })
}

/// Jekyll's named permalink styles.
fn permalink_style(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    }
    .to_string()
}

/// What Jekyll leaves out: `_` entries but `_posts` and the top `_drafts` (so
/// `_posts/_drafts/` is left out), its own files, `exclude`.
pub(super) fn skipped(settings: &Settings, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let underscore = name.starts_with('_') && !(name == "_posts" || rel == "_drafts");
    let own = matches!(
        name,
        "Gemfile" | "Gemfile.lock" | "node_modules" | "vendor" | "_site"
    );
    let excluded = settings.exclude.iter().any(|e| {
        let e = e.trim_matches('/');
        rel == e || rel.starts_with(&format!("{e}/"))
    });
    underscore || own || excluded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        assert_eq!(
            permalink_style("date"),
            "/:categories/:year/:month/:day/:title:output_ext"
        );
        assert_eq!(permalink_style("/blog/:title/"), "/blog/:title/");
    }
}
