//! What rendering reads, in one place: the configuration, the site, its bodies, the theme
//! and the plan, with the template values every page of a language shares (site, navigation,
//! latest issue) and each page's list entry, both made once.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::Value;

use super::plan::SitePlan;
use super::theme::Theme;
use super::views::{self, IssueView};
use crate::bodies::{BodyKeys, BodySource};
use crate::config::{Config, NavItem};
use crate::key::to_hex;
use crate::markdown::Restyler;
use crate::site::{Section, Site};

/// Template values every page of one language sees.
pub(crate) type Shared = Vec<(&'static str, Value)>;

pub(crate) struct Inputs {
    pub config: Arc<Config>,
    pub site: Arc<Site>,
    pub theme: Arc<Theme>,
    pub plan: Arc<SitePlan>,
    pub bodies: Arc<dyn BodySource>,
    /// `build --relative`: HTML pages' links are rewritten relative to each page.
    pub relative: bool,
    shared: HashMap<String, Shared>,
    summaries: Vec<OnceLock<Value>>,
    /// Code colours for the email editions, shared by all of them.
    pub restyler: Arc<Restyler>,
    /// Inputs that compute keys (`keyed`): each list entry is its own key.
    keyed: bool,
}

impl Inputs {
    pub(crate) fn new(
        config: Arc<Config>,
        site: Arc<Site>,
        theme: Arc<Theme>,
        plan: Arc<SitePlan>,
        bodies: Arc<dyn BodySource>,
        relative: bool,
    ) -> Inputs {
        let summaries = (0..site.pages.len()).map(|_| OnceLock::new()).collect();
        let mut inputs = Inputs {
            config,
            site,
            theme,
            plan,
            bodies,
            relative,
            shared: HashMap::new(),
            summaries,
            restyler: Arc::default(),
            keyed: false,
        };
        inputs.shared = shared_values(&inputs);
        inputs
    }

    /// The same inputs for computing keys (see `render::Files`): each body is its key, and
    /// each list entry the key of what it shows, so that a list's values hash quickly.
    pub(crate) fn keyed(&self, body_keys: Arc<BodyKeys>) -> Inputs {
        let mut keyed = Inputs::new(
            self.config.clone(),
            self.site.clone(),
            self.theme.clone(),
            self.plan.clone(),
            body_keys,
            self.relative,
        );
        keyed.keyed = true;
        keyed
    }

    /// What every page in `lang` sees.
    pub(crate) fn shared(&self, lang: &str) -> &[(&'static str, Value)] {
        self.shared.get(lang).map_or(&[], Vec::as_slice)
    }

    /// `values` after what every page in `lang` sees.
    pub(crate) fn with_shared(&self, lang: &str, values: Shared) -> Shared {
        let mut all = self.shared(lang).to_vec();
        all.extend(values);
        all
    }

    /// The list entry of page `id`, made once.
    pub(crate) fn summary(&self, id: usize) -> Value {
        self.summaries[id]
            .get_or_init(|| {
                let body = self.bodies.outline(id);
                let web = self.web(&self.site.pages[id].lang);
                let view = views::page_view(&self.config, &self.site, id, &body, false, &web);
                if self.keyed {
                    Value::from(to_hex(super::values_key_of(&view)))
                } else {
                    view
                }
            })
            .clone()
    }

    /// What turns a body's HTML into a web page's, in `lang` (see `prose`).
    pub(crate) fn web(&self, lang: &str) -> super::prose::Web<'_> {
        super::prose::Web {
            table_label: self.theme.string(lang, "table_label").unwrap_or("Table"),
            back_label: self
                .theme
                .string(lang, "back_to_text")
                .unwrap_or("Back to the text"),
            images: &self.plan.images,
        }
    }

    pub(crate) fn summaries(&self, ids: &[usize]) -> Value {
        Value::from(ids.iter().map(|&i| self.summary(i)).collect::<Vec<_>>())
    }

    /// Issue `issue` of edition `edition`, its intro and its articles' list entries.
    pub(crate) fn issue_view(&self, edition: usize, issue: usize) -> IssueView {
        let lang = &self.site.editions[edition].lang;
        let issue = &self.site.editions[edition].issues[issue];
        let pages = issue.articles.iter().map(|&a| self.summary(a)).collect();
        let intro = issue
            .intro
            .map(|i| Value::safe_string(&self.bodies.body(i).html));
        let fallback = self.issue_title(lang, issue.number);
        views::issue_view(&self.config, &self.site, issue, intro, pages, fallback)
    }

    /// Issue `issue` of edition `edition` as an outline: its articles as links, no intro. What
    /// a page that only names the issue shows (the archive, `latest_issue` on every page):
    /// an edit of an article's text does not change it.
    pub(crate) fn issue_outline(&self, edition: usize, issue: usize) -> IssueView {
        let lang = &self.site.editions[edition].lang;
        let issue = &self.site.editions[edition].issues[issue];
        let links = issue
            .articles
            .iter()
            .map(|&a| views::article_link(&self.config, &self.site.pages[a]))
            .collect();
        let fallback = self.issue_title(lang, issue.number);
        views::issue_view(&self.config, &self.site, issue, None, links, fallback)
    }

    /// The same issue number in the other languages: (lang, its view).
    pub(crate) fn other_issues(&self, edition: usize, number: u32) -> Vec<(String, IssueView)> {
        let site = &self.site;
        self.config
            .languages
            .iter()
            .filter_map(|l| site.editions.iter().position(|e| e.lang == l.code))
            .filter(|&e| e != edition)
            .filter_map(|e| {
                let i = site.editions[e]
                    .issues
                    .iter()
                    .position(|i| i.number == number)?;
                Some((site.editions[e].lang.clone(), self.issue_view(e, i)))
            })
            .collect()
    }

    /// "Issue 3", in the theme's words, for issues without an intro.
    pub(crate) fn issue_title(&self, lang: &str, number: u32) -> String {
        let label = self.theme.string(lang, "issue").unwrap_or("Issue");
        format!("{label} {number}")
    }
}

/// A section's title: its `_index` page's, else its folder name, capitalised.
pub(crate) fn section_title(site: &Site, section: &Section) -> String {
    match section.index {
        Some(i) => site.pages[i].title.clone(),
        None => {
            let name = section.name.rsplit('/').next().unwrap_or(&section.name);
            let mut chars = name.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    lang: &'a str,
    /// For text: French typography applied on French pages.
    title: String,
    description: String,
    /// For attributes: as written in config.toml.
    plain_title: &'a str,
    plain_description: &'a str,
    locale: &'a str,
    url: String,
}

#[derive(Serialize)]
struct NavLink {
    title: String,
    url: String,
    /// What it leads to: home, issues, section, tags, page.
    kind: &'static str,
}

/// The navigation of `edition`, as `config.nav` orders it; the archive of issues and the
/// list of tags only where the edition has some.
fn nav(inputs: &Inputs, edition: &crate::site::Edition) -> Vec<NavLink> {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let lang = edition.lang.as_str();
    let label = |key: &str, fallback: &str| {
        let text = inputs.theme.string(lang, key).unwrap_or(fallback);
        config.typeset(lang, text)
    };
    let link = |title: String, path: &str, kind| NavLink {
        title,
        url: config.absolute(path),
        kind,
    };
    let mut links = Vec::new();
    for item in &config.nav {
        match item {
            NavItem::Home => {
                links.push(link(label("home", "Home"), &config.home_path(lang), "home"))
            }
            NavItem::Issues if !edition.issues.is_empty() => {
                let path = config.lang_path(lang, "issues/");
                links.push(link(label("issues", "Issues"), &path, "issues"));
            }
            NavItem::Sections => links.extend(
                edition
                    .sections
                    .iter()
                    .map(|s| link(section_title(site, s), &s.path, "section")),
            ),
            NavItem::Tags if !edition.tags.is_empty() => {
                let path = config.lang_path(lang, "tags/");
                links.push(link(label("tags", "Tags"), &path, "tags"));
            }
            NavItem::Pages => links.extend(
                edition
                    .standalone
                    .iter()
                    .map(|&p| link(site.pages[p].title.clone(), &site.pages[p].path, "page")),
            ),
            NavItem::Issues | NavItem::Tags => {}
        }
    }
    links
}

/// Per language: the site, the navigation, and the latest issue as links (no body: every
/// page sees it, and an edit of the issue's texts must not change every page).
fn shared_values(inputs: &Inputs) -> HashMap<String, Shared> {
    let (config, site) = (&*inputs.config, &*inputs.site);
    let mut per_lang = HashMap::new();
    for (e, edition) in site.editions.iter().enumerate() {
        let lang = edition.lang.as_str();
        let Some(language) = config.language(lang) else {
            continue;
        };
        let nav_sections: Vec<NavLink> = edition
            .sections
            .iter()
            .map(|s| NavLink {
                title: section_title(site, s),
                url: config.absolute(&s.path),
                kind: "section",
            })
            .collect();
        let nav_pages: Vec<NavLink> = edition
            .standalone
            .iter()
            .map(|&p| NavLink {
                title: site.pages[p].title.clone(),
                url: config.absolute(&site.pages[p].path),
                kind: "page",
            })
            .collect();
        let site_view = SiteView {
            lang,
            title: config.typeset(lang, &language.title),
            description: config.typeset(lang, &language.description),
            plain_title: &language.title,
            plain_description: &language.description,
            locale: &language.locale,
            url: config.absolute(&config.home_path(lang)),
        };
        let latest = match edition.issues.first() {
            None => Value::none(),
            Some(_) => Value::from_serializable(&inputs.issue_outline(e, 0)),
        };
        let values = vec![
            ("site", Value::from_serializable(&site_view)),
            ("nav", Value::from_serializable(&nav(inputs, edition))),
            ("nav_sections", Value::from_serializable(&nav_sections)),
            ("nav_pages", Value::from_serializable(&nav_pages)),
            ("latest_issue", latest),
            ("newsletter", Value::from_serializable(&language.newsletter)),
        ];
        per_lang.insert(lang.to_string(), values);
    }
    per_lang
}
