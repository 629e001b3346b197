//! The URLs Jekyll 4 gave a site: posts by their permalink, pages by their path, and the
//! lists its plugins made (jekyll-feed, jekyll-paginate).

use super::super::mapping;
use super::super::model::{FeedKind, Page, Place, Target};
use super::config::Settings;

/// A post's URL by its permalink (its own, or the site's).
pub(super) fn post_url(settings: &Settings, front: &mapping::Front, title: &str) -> Option<String> {
    let pattern = front
        .url
        .clone()
        .unwrap_or_else(|| settings.permalink.clone());
    let date = front.date?;
    let day = date.date?;
    let time = date.time;
    let categories: Vec<String> = front
        .taxonomies
        .get("categories")
        .into_iter()
        .flatten()
        .map(|c| c.to_lowercase())
        .collect();
    let slug_source = front.slug.as_deref().unwrap_or(title);
    let values = [
        (":categories", categories.join("/")),
        (":year", format!("{:04}", day.year)),
        (":short_year", format!("{:02}", day.year % 100)),
        (":i_month", day.month.to_string()),
        (":month", format!("{:02}", day.month)),
        (":i_day", day.day.to_string()),
        (":day", format!("{:02}", day.day)),
        (":hour", format!("{:02}", time.map_or(0, |t| t.hour))),
        (":minute", format!("{:02}", time.map_or(0, |t| t.minute))),
        (
            ":second",
            format!("{:02}", time.and_then(|t| t.second).unwrap_or(0)),
        ),
        (":title", jekyll_slug(slug_source, true)),
        (":slug", jekyll_slug(slug_source, false)),
        (":output_ext", ".html".into()),
    ];
    let mut url = pattern;
    for (token, value) in values {
        url = url.replace(token, &value);
    }
    let clean: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = if url.ends_with('/') { "/" } else { "" };
    Some(format!("/{}{trailing}", clean.join("/")))
}

/// Jekyll's `slugify` in `pretty` mode (`cased` keeps capitals, as `:title` does) or
/// `default` mode: what it does not keep becomes a hyphen, runs of hyphens one.
fn jekyll_slug(text: &str, pretty_cased: bool) -> String {
    let kept = |c: char| {
        c.is_ascii_alphanumeric()
            || (pretty_cased && "._~!$&'()+,;=@".contains(c))
            || (!pretty_cased && c.is_alphanumeric())
    };
    let mut out = String::new();
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if pretty_cased {
        out
    } else {
        out.to_lowercase()
    }
}

/// A page's URL: its `permalink`, else its path with `.html` (`x/index.md` is `/x/`).
pub(super) fn page_url(settings: &Settings, rel: &str, front: &mapping::Front) -> String {
    if let Some(url) = &front.url {
        return url.clone();
    }
    let without_ext = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let prefix = match (&front.lang, settings.default_lang.as_deref()) {
        (Some(lang), Some(default)) if settings.polyglot.contains(lang) && lang != default => {
            format!("/{lang}")
        }
        _ => String::new(),
    };
    match without_ext.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{prefix}/{dir}"),
        _ if settings.pretty_pages => format!("{prefix}/{without_ext}/"),
        _ => format!("{prefix}/{without_ext}.html"),
    }
}

/// Old list URLs: the feed jekyll-feed makes, and jekyll-paginate's pages of the home.
pub(super) fn list_urls(
    settings: &Settings,
    pages: &[Page],
    default: &str,
) -> Vec<(String, Target)> {
    let mut urls = Vec::new();
    let has = |name: &str| settings.plugins.iter().any(|p| p == name);
    if has("jekyll-feed") {
        let path = settings
            .config
            .get("feed")
            .and_then(|f| f.get("path"))
            .and_then(|p| p.as_str())
            .unwrap_or("/feed.xml");
        let kind = FeedKind::Atom;
        urls.push((
            format!("/{}", path.trim_start_matches('/')),
            Target::Feed {
                lang: default.into(),
                kind,
            },
        ));
    }
    if let (Some(per), true) = (settings.paginate, has("jekyll-paginate")) {
        let posts = pages
            .iter()
            .filter(|p| p.old_url.is_some() && matches!(p.place, Place::Article(_)))
            .count();
        for n in 2..=posts.div_ceil(per).max(1) {
            let path = settings.paginate_path.replace(":num", &n.to_string());
            urls.push((
                path,
                Target::Home {
                    lang: default.into(),
                    page: n,
                },
            ));
        }
    }
    urls
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_as_jekyll_makes_them() {
        assert_eq!(jekyll_slug("Seeing-Music", true), "Seeing-Music");
        assert_eq!(jekyll_slug("Seeing Music!", true), "Seeing-Music!");
        assert_eq!(jekyll_slug("Seeing Music!", false), "seeing-music");
        assert_eq!(jekyll_slug("  a  b ", false), "a-b");
    }
}
