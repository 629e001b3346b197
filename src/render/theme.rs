//! A theme folder (+ the site's `templates/` overrides) -> `Theme`: one Tera instance with
//! gazette's functions and filters, the interface strings per language, and where its
//! static files are. Built once per build, then shared read-only by every render.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ArgFromValue, Kwargs, State, Tera, TeraResult, Value};

use super::theme_files::ThemeFiles;
use crate::config::Config;
use crate::error::{Error, Location, Result, Warning};
use crate::lang;
use crate::site::LinkTable;
use crate::source::{list_files, read_text};

/// Theme templates are registered under this prefix so the site's own take precedence.
const THEME_PREFIX: &str = "theme/";

pub(crate) struct Theme {
    tera: Tera,
    /// A hash of every template and interface string: what every page depends on.
    pub key: crate::key::Key,
    /// Literal ids in the templates, sorted.
    ids: Vec<String>,
    /// Interface strings, already completed from the default language.
    strings: Arc<Strings>,
    template_files: HashMap<String, PathBuf>,
}

/// lang -> key -> interface string.
type Strings = HashMap<String, HashMap<String, String>>;

impl Theme {
    pub(crate) fn load(
        config: &Config,
        files: &ThemeFiles,
        links: LinkTable,
    ) -> Result<(Theme, Vec<Warning>)> {
        let (strings, warnings) = load_strings(config, files)?;
        let strings = Arc::new(strings);
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_fallback_prefixes(vec![THEME_PREFIX.to_string()])
            .map_err(|e| template_error(&HashMap::new(), &e))?;
        register(&mut tera, config, strings.clone(), Arc::new(links));
        let mut template_files = HashMap::new();
        let mut sources = Vec::new();
        let own = list_files(&config.root, &config.root.join("templates"))?;
        // A theme template the site replaces is left out: compiled against the site's own
        // base.html, whose blocks may differ, it could not build, and it is never used.
        for (name, file) in files.under("templates") {
            if own.iter().any(|(mine, _)| mine == name) {
                continue;
            }
            let shown = file.shown(config, &format!("templates/{name}"));
            let text = file.text(&shown)?;
            let name = format!("{THEME_PREFIX}{name}");
            template_files.insert(name.clone(), shown);
            sources.push((name, text));
        }
        for (name, path) in own {
            let shown = path
                .strip_prefix(&config.root)
                .unwrap_or(&path)
                .to_path_buf();
            let text = read_text(&path, &shown)?;
            template_files.insert(name.clone(), shown);
            sources.push((name, text));
        }
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&template_files, &e))?;
        let mut parts: Vec<&[u8]> = Vec::new();
        for (name, text) in &sources {
            parts.extend([name.as_bytes(), text.as_bytes()]);
        }
        let mut strings_text: Vec<String> = strings
            .iter()
            .flat_map(|(lang, map)| map.iter().map(move |(k, v)| format!("{lang}\t{k}\t{v}")))
            .collect();
        strings_text.sort();
        let strings_text = strings_text.join("\n");
        parts.push(strings_text.as_bytes());
        let theme = Theme {
            ids: literal_ids(sources.iter().map(|(_, text)| text.as_str())),
            key: crate::key::key_of(&parts),
            tera,
            strings,
            template_files,
        };
        Ok((theme, warnings))
    }

    /// The ids the templates give elements themselves (`id="main"`): a heading of the page's
    /// text must not take one (its contents link would lead to the wrong place).
    pub(crate) fn ids(&self) -> Vec<String> {
        self.ids.clone()
    }

    /// An interface string, for text gazette writes itself (titles of generated pages).
    pub(crate) fn string(&self, lang: &str, key: &str) -> Option<&str> {
        self.strings
            .get(lang)
            .and_then(|strings| strings.get(key))
            .map(String::as_str)
    }

    /// Renders `template`, mapping Tera's error to the template file and line.
    pub(crate) fn render(
        &self,
        template: &str,
        context: &tera::Context,
        page: &str,
    ) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| self.error(&e, template, page))
    }

    /// `render`, as bytes: pages go to files as they are, and need no UTF-8 check.
    pub(crate) fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
        page: &str,
    ) -> Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, context, &mut bytes)
            .map_err(|e| self.error(&e, template, page))?;
        Ok(bytes)
    }

    fn error(&self, e: &tera::Error, template: &str, page: &str) -> Error {
        let mut error = template_error(&self.template_files, e);
        if let Error::Template { message, .. } = &mut error {
            message.push_str(&format!("\n  (while rendering {page} with {template})"));
        }
        error
    }
}

fn template_error(files: &HashMap<String, PathBuf>, error: &tera::Error) -> Error {
    let shown = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name.trim_start_matches(THEME_PREFIX)))
    };
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Error::Template {
                location: Location::at(
                    shown(report.filename()),
                    span.start_line,
                    span.start_col + 1,
                ),
                message: report.message().to_string(),
            }
        }
        _ => {
            let text = error.to_string();
            let file = files
                .iter()
                .filter(|(name, _)| text.contains(name.as_str()))
                .max_by_key(|(name, _)| name.len())
                .map_or_else(|| PathBuf::from("templates"), |(_, path)| path.clone());
            Error::Template {
                location: Location::file(file),
                message: text.replace(THEME_PREFIX, ""),
            }
        }
    }
}

/// The `id="…"` values written as they are in templates (not made by an expression).
fn literal_ids<'a>(templates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut ids: Vec<String> = templates
        .flat_map(|text| text.split(" id=\"").skip(1))
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| !id.is_empty() && !id.contains(['{', '}', '%']))
        .map(str::to_string)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Reads the theme's `i18n/LANG.toml` for every language; missing strings fall back to the
/// default language, with a warning naming each.
fn load_strings(config: &Config, files: &ThemeFiles) -> Result<(Strings, Vec<Warning>)> {
    let mut per_lang: HashMap<String, toml::Table> = HashMap::new();
    let mut warnings = Vec::new();
    for language in &config.languages {
        let path = format!("i18n/{}.toml", language.code);
        let Some(file) = files.get(&path) else {
            warnings.push(Warning {
                location: Location::file(Path::new("themes").join(&config.theme).join(&path)),
                message: format!(
                    "no interface strings for \"{}\": using the default language's",
                    language.code
                ),
            });
            continue;
        };
        let shown = file.shown(config, &path);
        let text = file.text(&shown)?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
            location: crate::config::toml_error_location(&shown, &text, &e, 1),
            message: crate::config::toml_error_message(&e),
        })?;
        per_lang.insert(language.code.clone(), table);
    }
    let mut strings: Strings = HashMap::new();
    for language in &config.languages {
        let mut flat = HashMap::new();
        if let Some(table) = per_lang.get(&language.code) {
            flatten("", table, &mut flat);
        }
        strings.insert(language.code.clone(), flat);
    }
    let mut default = HashMap::new();
    if let Some(table) = per_lang.get(&config.default_language) {
        flatten("", table, &mut default);
    }
    let mut keys: Vec<&String> = default.keys().collect();
    keys.sort();
    for language in config
        .languages
        .iter()
        .filter(|l| l.code != config.default_language)
    {
        let has_file = per_lang.contains_key(&language.code);
        let own = strings.entry(language.code.clone()).or_default();
        for key in &keys {
            if let std::collections::hash_map::Entry::Vacant(slot) = own.entry((*key).clone()) {
                if has_file {
                    warnings.push(Warning {
                        location: Location::file(
                            Path::new("themes")
                                .join(&config.theme)
                                .join("i18n")
                                .join(format!("{}.toml", language.code)),
                        ),
                        message: format!(
                            "missing interface string `{key}`: using the {} one",
                            config.default_language
                        ),
                    });
                }
                slot.insert(default[*key].clone());
            }
        }
    }
    Ok((strings, warnings))
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&name, inner, out),
            toml::Value::String(s) => {
                out.insert(name, s.clone());
            }
            other => {
                out.insert(name, other.to_string());
            }
        }
    }
}

fn register(tera: &mut Tera, config: &Config, strings: Arc<Strings>, links: Arc<LinkTable>) {
    register_wrap(tera);
    let locales: Arc<HashMap<String, String>> = Arc::new(
        config
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.locale.clone()))
            .collect(),
    );
    let default_lang = config.default_language.clone();
    // As template values, made once: a page calls t() a score of times.
    let values: HashMap<String, HashMap<String, Value>> = strings
        .iter()
        .map(|(lang, strings)| {
            let values = strings
                .iter()
                .map(|(key, text)| (key.clone(), Value::from(text.as_str())))
                .collect();
            (lang.clone(), values)
        })
        .collect();
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let key = kwargs.must_get::<&str>("key")?;
        with_lang(&kwargs, state, &default_lang, |lang| {
            values
                .get(lang)
                .and_then(|values| values.get(key))
                .cloned()
                .ok_or_else(|| tera::Error::message(format!("t(): no interface string `{key}` for \"{lang}\" in the theme's i18n/{lang}.toml")))
        })
    });
    let base_url = config.base_url.clone();
    let homes: HashMap<String, String> = config
        .language_codes()
        .map(|code| (code.to_string(), config.home_path(code)))
        .collect();
    let default_lang = config.default_language.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            with_lang(&kwargs, state, &default_lang, |lang| {
                let home = homes.get(lang).map_or("/", String::as_str);
                url_for(&base_url, &links, lang, home, path)
            })
        },
    );
    let default_lang = config.default_language.clone();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let locale = with_lang(&kwargs, state, &default_lang, |lang| {
                Ok(locales.get(lang).map_or("en_US", String::as_str))
            })?;
            let format = kwargs.get::<&str>("format")?.unwrap_or("long");
            let date = crate::frontmatter::parse_date_text(value)
                .ok_or_else(|| tera::Error::message(format!("date: \"{value}\" is not a date")))?;
            let day = date.date_naive();
            Ok(match format {
                "long" => lang::long_date(day, locale),
                "short" => lang::short_date(day, locale),
                "iso" => day.format("%Y-%m-%d").to_string(),
                "rfc3339" => date.to_rfc3339(),
                "rfc2822" => date.to_rfc2822(),
                custom => {
                    let locale = chrono::Locale::try_from(locale).unwrap_or(chrono::Locale::en_US);
                    day.format_localized(custom, locale).to_string()
                }
            })
        },
    );
}

/// `{{ text | wrap(width=72) }}`: word-wraps plain text (for `email.txt`), keeping
/// no-break spaces unbroken.
fn register_wrap(tera: &mut Tera) {
    tera.register_filter(
        "wrap",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let width = kwargs
                .get::<usize>("width")?
                .unwrap_or(crate::markdown::TEXT_WIDTH);
            Ok(value
                .split('\n')
                .map(|line| crate::markdown::wrap(line, width, "", ""))
                .collect::<Vec<_>>()
                .join("\n"))
        },
    );
}

/// `f` of the language asked for: the `lang` argument, else the template's `lang`, else
/// `default`. Borrowed, not copied: functions taking it run many times a page.
fn with_lang<R>(
    kwargs: &Kwargs,
    state: &State,
    default: &str,
    f: impl FnOnce(&str) -> TeraResult<R>,
) -> TeraResult<R> {
    if let Some(lang) = kwargs.get::<Cow<str>>("lang")? {
        return f(&lang);
    }
    match state.get::<Value>("lang")? {
        Some(value) => f(&Cow::<str>::from_value(&value)?),
        None => f(default),
    }
}

/// `url(path=…, lang=…)`: `@/articles/x.md` -> that page; `/style.css` -> from the site root;
/// `tags/` -> inside the language, whose home is at `home` (`https://…/en/tags/`).
fn url_for(
    base_url: &str,
    links: &LinkTable,
    lang: &str,
    home: &str,
    path: &str,
) -> TeraResult<String> {
    if let Some(target) = path.strip_prefix("@/") {
        let (target, anchor) = match target.split_once('#') {
            Some((file, anchor)) => (file, format!("#{anchor}")),
            None => (target, String::new()),
        };
        let key = target.trim_end_matches(".md");
        let (stem, explicit) = lang::split_suffix(target).unwrap_or((key, None));
        let (key, lang) = match explicit {
            Some(l) => (stem, l),
            None => (key, lang),
        };
        return links
            .get(&(lang.to_string(), key.to_string()))
            .map(|url| format!("{url}{anchor}"))
            .ok_or_else(|| {
                tera::Error::message(format!("url(): no page at @/{target} in \"{lang}\""))
            });
    }
    if let Some(rest) = path.strip_prefix('/') {
        return Ok(format!("{base_url}/{rest}"));
    }
    Ok(format!("{base_url}{home}{path}"))
}
