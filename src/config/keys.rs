//! `config.toml` text -> one error per key gazette does not know, at any depth, each at its
//! line, with gazette's name for it where the key is another engine's (a site moved in from
//! Hugo, Zola or Jekyll brings its whole config at once, so every key is named in one run).

use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::error::{Error, Location, closest};

/// The keys of one table of `config.toml`, and what each nested table holds.
struct Table {
    keys: &'static [&'static str],
    /// A key whose value is a table with a shape of its own.
    nested: fn(&str) -> Nested,
    /// Other engines' names met at this level: lowercase name -> what to write instead
    /// ("nothing: why" where gazette needs no such setting).
    other_names: &'static [(&'static str, &'static str)],
    /// Said after the list of valid keys when nothing close is found.
    elsewhere: &'static str,
}

enum Nested {
    /// A table of this shape.
    Shape(&'static Table),
    /// A table whose every value has this shape (`[languages.fr]`, `[sections.news]`).
    EachOf(&'static Table),
    /// Keys are the user's own (`[extra]`, `[redirects]`), or the value is no table.
    Free,
}

const TOP: Table = Table {
    keys: &[
        "base_url",
        "theme",
        "default_language",
        "languages",
        "paginate_by",
        "feed_limit",
        "highlight_code",
        "french_typography",
        "english_typography",
        "words_per_minute",
        "default_language_at_root",
        "permalinks",
        "redirects",
        "heading_ids",
        "sections",
        "nav",
        "newsletter",
        "extra",
    ],
    nested: |key| match key {
        "languages" => Nested::EachOf(&LANGUAGE),
        "sections" => Nested::EachOf(&SECTION),
        "newsletter" => Nested::Shape(&NEWSLETTER),
        _ => Nested::Free,
    },
    other_names: &[
        (
            "baseurl",
            "base_url, the whole address with any path: \"https://example.org/blog/\"",
        ),
        (
            "url",
            "base_url, the whole address with any path: \"https://example.org/blog/\"",
        ),
        ("title", "title, in each [languages.LANG]"),
        ("description", "description, in each [languages.LANG]"),
        ("tagline", "description, in each [languages.LANG]"),
        ("subtitle", "description, in each [languages.LANG]"),
        (
            "languagecode",
            "default_language = \"en\", and locale = \"en_US\" in [languages.en]",
        ),
        (
            "lang",
            "default_language = \"en\", and locale = \"en_US\" in [languages.en]",
        ),
        ("locale", "locale, in each [languages.LANG]"),
        ("defaultcontentlanguage", "default_language"),
        (
            "defaultcontentlanguageinsubdir",
            "default_language_at_root, the other way round (true: the default language at /)",
        ),
        ("paginate", "paginate_by"),
        ("pagination", "paginate_by"),
        ("paginator", "paginate_by"),
        ("rsslimit", "feed_limit"),
        (
            "taxonomies",
            "tags: gazette has one taxonomy, tags = [\"…\"] in each article",
        ),
        ("params", "[extra]: the theme reads it as config.extra"),
        (
            "menu",
            "nav = [\"home\", \"issues\", \"sections\", \"tags\", \"pages\"]",
        ),
        (
            "menus",
            "nav = [\"home\", \"issues\", \"sections\", \"tags\", \"pages\"]",
        ),
        (
            "navigation",
            "nav = [\"home\", \"issues\", \"sections\", \"tags\", \"pages\"]",
        ),
        ("markup", "highlight_code = true|false and heading_ids"),
        ("markdown", "highlight_code = true|false and heading_ids"),
        ("highlighter", "highlight_code = true|false"),
        ("pygmentscodefences", "highlight_code = true|false"),
        ("kramdown", "heading_ids = \"jekyll\""),
        (
            "permalink",
            "[permalinks], one pattern per section: posts = \"/:year/:month/:day/:slug/\"",
        ),
        (
            "generate_feed",
            "nothing: every language always has Atom, RSS and JSON feeds (feed_aliases in \
             [languages.LANG] keeps old feed addresses)",
        ),
        (
            "generate_feeds",
            "nothing: every language always has Atom, RSS and JSON feeds (feed_aliases in \
             [languages.LANG] keeps old feed addresses)",
        ),
        (
            "feed_filename",
            "feed_aliases in [languages.LANG]: \"/atom.xml\" = \"atom\"",
        ),
        (
            "feed_filenames",
            "feed_aliases in [languages.LANG]: \"/atom.xml\" = \"atom\"",
        ),
        (
            "outputs",
            "nothing: every language always has Atom, RSS and JSON feeds, and every issue an \
             email edition",
        ),
        (
            "enablerobotstxt",
            "nothing: robots.txt and sitemap.xml are always written",
        ),
        (
            "plugins",
            "nothing: feeds, sitemap, redirects and SEO tags are built in",
        ),
        (
            "contentdir",
            "nothing: content is always content/ (gazette build --root picks the site)",
        ),
        (
            "publishdir",
            "nothing here: gazette build --output DIR (default output/)",
        ),
        (
            "destination",
            "nothing here: gazette build --output DIR (default output/)",
        ),
        (
            "output_dir",
            "nothing here: gazette build --output DIR (default output/)",
        ),
        ("themesdir", "nothing: themes are in themes/NAME/"),
        (
            "compile_sass",
            "nothing: a theme's static/ is copied as is, so compile Sass before",
        ),
        (
            "sass",
            "nothing: a theme's static/ is copied as is, so compile Sass before",
        ),
        (
            "timezone",
            "nothing: dates carry their offset (2026-11-27T09:30:00+01:00), else UTC",
        ),
        (
            "translations",
            "the theme's i18n files: themes/NAME/i18n/LANG.toml",
        ),
    ],
    elsewhere: "anything of your own goes under [extra]",
};

const LANGUAGE: Table = Table {
    keys: &[
        "title",
        "description",
        "locale",
        "feed_aliases",
        "newsletter",
    ],
    nested: |key| match key {
        "newsletter" => Nested::Shape(&NEWSLETTER),
        _ => Nested::Free,
    },
    other_names: &[
        (
            "languagename",
            "language_name, in the theme's i18n/LANG.toml (the language switcher's name)",
        ),
        (
            "language_name",
            "language_name, in the theme's i18n/LANG.toml (the language switcher's name)",
        ),
        ("name", "title (the site's name in this language)"),
        ("languagecode", "locale = \"en_US\""),
        ("code", "the table's name: [languages.en]"),
        (
            "weight",
            "nothing: the default language comes first, then the others by code",
        ),
        ("params", "[extra], for the whole site"),
        ("extra", "[extra], for the whole site"),
        (
            "contentdir",
            "nothing: translations sit side by side, NAME.LANG.md",
        ),
        (
            "taxonomies",
            "tags: gazette has one taxonomy, tags = [\"…\"] in each article",
        ),
        ("menu", "nav, for the whole site"),
        ("menus", "nav, for the whole site"),
        (
            "generate_feed",
            "nothing: every language always has Atom, RSS and JSON feeds",
        ),
        (
            "generate_feeds",
            "nothing: every language always has Atom, RSS and JSON feeds",
        ),
        (
            "translations",
            "the theme's i18n files: themes/NAME/i18n/LANG.toml",
        ),
    ],
    elsewhere: "anything of your own goes under [extra]",
};

const SECTION: Table = Table {
    keys: &["feeds", "home"],
    nested: |_| Nested::Free,
    other_names: &[
        (
            "permalink",
            "[permalinks] in config.toml: SECTION = \"/:year/:slug/\"",
        ),
        ("sort_by", "nothing: sections list newest first"),
        ("paginate_by", "paginate_by, for the whole site"),
    ],
    elsewhere: "a section's articles take part in the feeds and the home unless set false",
};

const NEWSLETTER: Table = Table {
    keys: &["subscribe_url", "email_field", "unsubscribe_url", "fields"],
    nested: |_| Nested::Free,
    other_names: &[
        ("action", "subscribe_url"),
        ("form_action", "subscribe_url"),
        ("unsubscribe", "unsubscribe_url"),
        ("hidden_fields", "fields"),
    ],
    elsewhere: "hidden form fields go under [newsletter.fields]",
};

/// Every key of `text` (a `config.toml`, TOML already known to parse or not) that gazette
/// does not know, one error each, in file order. Unparsable TOML gives none: serde reports
/// the syntax error at its place.
pub(super) fn unknown_keys(text: &str, path: &Path) -> Vec<Error> {
    let Ok(table) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    check(table.get_ref(), &TOP, "", text, path, &mut errors);
    errors.sort_by(|a, b| a.location().cmp(&b.location()));
    errors
}

/// Where the key at `keys` (`["permalinks", "news"]`) is written in `text`, for messages
/// about a value that parsed but does not fit the site; the file alone when not found.
pub(super) fn locate(text: &str, path: &Path, keys: &[&str]) -> Location {
    let Ok(table) = DeTable::parse(text) else {
        return Location::file(path);
    };
    let mut table = table.get_ref();
    for (depth, wanted) in keys.iter().enumerate() {
        let Some((key, value)) = table.iter().find(|(key, _)| key.get_ref() == wanted) else {
            break;
        };
        if depth + 1 == keys.len() {
            return Location::from_offset(path, text, key.span().start, 1);
        }
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    Location::file(path)
}

fn check(
    table: &DeTable<'_>,
    shape: &Table,
    prefix: &str,
    text: &str,
    path: &Path,
    errors: &mut Vec<Error>,
) {
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if !shape.keys.contains(&name) {
            errors.push(Error::Config {
                location: Location::from_offset(path, text, key.span().start, 1),
                message: format!(
                    "unknown key `{prefix}{name}`: {}",
                    hint(shape, name, prefix.is_empty())
                ),
            });
            continue;
        }
        let DeValue::Table(inner) = value.get_ref() else {
            continue; // a wrong type is serde's to report
        };
        match (shape.nested)(name) {
            Nested::Shape(nested) => check(
                inner,
                nested,
                &format!("{prefix}{name}."),
                text,
                path,
                errors,
            ),
            Nested::EachOf(nested) => {
                for (each, value) in inner.iter() {
                    if let DeValue::Table(each_table) = value.get_ref() {
                        let each: &str = each.get_ref();
                        let prefix = format!("{prefix}{name}.{each}.");
                        check(each_table, nested, &prefix, text, path, errors);
                    }
                }
            }
            Nested::Free => {}
        }
    }
}

/// What to write instead of `name` in a table of `shape` (`top`: the file's top level).
fn hint(shape: &Table, name: &str, top: bool) -> String {
    if let Some(hint) = other_name_or_typo(shape, name) {
        return hint;
    }
    // After a `[table]` line every key belongs to that table: a top-level key added at the
    // end of the file lands in the last one.
    if !top && (TOP.keys.contains(&name) || other_name_or_typo(&TOP, name).is_some()) {
        let instead = match TOP.keys.contains(&name) {
            true => String::new(),
            false => other_name_or_typo(&TOP, name).map_or(String::new(), |h| format!(" ({h})")),
        };
        return format!(
            "a key of the top level, written here below a [table] line: move it above the \
             first [table]{instead}"
        );
    }
    format!("valid keys: {}; {}", shape.keys.join(", "), shape.elsewhere)
}

/// Gazette's name for another engine's `name`, or the key `name` misspells, in `shape`.
fn other_name_or_typo(shape: &Table, name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, instead)) = shape.other_names.iter().find(|(other, _)| *other == lower) {
        return Some(match instead.strip_prefix("nothing") {
            Some(why) => format!("gazette has no such setting{why}"),
            None => format!("gazette calls it {instead}"),
        });
    }
    closest(name, shape.keys.iter().copied()).map(|best| format!("did you mean `{best}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        unknown_keys(text, Path::new("config.toml"))
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn a_hugo_config_gets_every_key_named_with_gazettes_name() {
        let text = "baseURL = \"https://example.org/\"\nlanguageCode = \"en-us\"\n\
                    title = \"Blog\"\ndefault_language = \"en\"\n\n[taxonomies]\ntag = \"tags\"\n\n\
                    [languages.en]\ntitle = \"Blog\"\nlanguageName = \"English\"\nweight = 1\n";
        let messages = messages(text);
        assert_eq!(messages.len(), 6, "{messages:#?}");
        assert!(
            messages[0]
                .starts_with("config.toml:1:1: unknown key `baseURL`: gazette calls it base_url")
        );
        assert!(messages[1].starts_with(
            "config.toml:2:1: unknown key `languageCode`: gazette calls it default_language"
        ));
        assert!(messages[2].starts_with(
            "config.toml:3:1: unknown key `title`: gazette calls it title, in each [languages.LANG]"
        ));
        assert!(
            messages[3]
                .starts_with("config.toml:6:2: unknown key `taxonomies`: gazette calls it tags")
        );
        assert_eq!(
            messages[4],
            "config.toml:11:1: unknown key `languages.en.languageName`: gazette calls it \
             language_name, in the theme's i18n/LANG.toml (the language switcher's name)"
        );
        assert_eq!(
            messages[5],
            "config.toml:12:1: unknown key `languages.en.weight`: gazette has no such setting: \
             the default language comes first, then the others by code"
        );
    }

    #[test]
    fn typos_at_every_depth_are_found() {
        let text = "base_url = \"https://example.org/\"\ndefault_language = \"fr\"\n\
                    [languages.fr]\ntitel = \"Gazette\"\n[newsletter]\nsubscribe_ulr = \"x\"\n\
                    [newsletter.fields]\nlist = \"1\"\n[sections.news]\nfeed = false\n\
                    [languages.fr.newsletter]\nemail_feild = \"e\"\n[extra]\nanything = 1\n";
        assert_eq!(
            messages(text),
            [
                "config.toml:4:1: unknown key `languages.fr.titel`: did you mean `title`?",
                "config.toml:6:1: unknown key `newsletter.subscribe_ulr`: did you mean `subscribe_url`?",
                "config.toml:10:1: unknown key `sections.news.feed`: did you mean `feeds`?",
                "config.toml:12:1: unknown key `languages.fr.newsletter.email_feild`: did you mean `email_field`?",
            ]
        );
    }

    #[test]
    fn a_key_far_from_any_lists_the_valid_ones() {
        let [message] = &messages("zzz_custom = 1\n")[..] else {
            panic!("one error expected");
        };
        assert!(
            message.contains("valid keys: base_url, theme,"),
            "{message}"
        );
        assert!(
            message.ends_with("anything of your own goes under [extra]"),
            "{message}"
        );
    }

    #[test]
    fn locates_nested_keys() {
        let text =
            "base_url = \"x\"\n[permalinks]\nnews = \"/:slug/\"\n[sections.news]\nhome = false\n";
        let at = |keys: &[&str]| locate(text, Path::new("config.toml"), keys).to_string();
        assert_eq!(at(&["permalinks", "news"]), "config.toml:3:1");
        assert_eq!(at(&["sections", "news"]), "config.toml:4:11");
        assert_eq!(at(&["sections", "blog"]), "config.toml");
    }

    #[test]
    fn a_top_level_key_below_a_table_is_told_to_move_up() {
        let text = "base_url = \"x\"\n[newsletter]\nsubscribe_url = \"https://x\"\n\
                    paginate_by = 5\nbaseURL = \"y\"\n";
        assert_eq!(
            messages(text),
            [
                "config.toml:4:1: unknown key `newsletter.paginate_by`: a key of the top level, \
                 written here below a [table] line: move it above the first [table]",
                "config.toml:5:1: unknown key `newsletter.baseURL`: a key of the top level, \
                 written here below a [table] line: move it above the first [table] (gazette \
                 calls it base_url, the whole address with any path: \"https://example.org/blog/\")",
            ]
        );
    }

    #[test]
    fn known_keys_and_free_tables_pass() {
        let text = "base_url = \"https://example.org/\"\ndefault_language = \"fr\"\n\
                    [permalinks]\nnews = \"/:year/:slug/\"\n[redirects]\n\"/old/\" = \"/new/\"\n\
                    [languages.fr]\ntitle = \"G\"\n[languages.fr.feed_aliases]\n\"/index.xml\" = \"rss\"\n";
        assert_eq!(messages(text), Vec::<String>::new());
    }
}
