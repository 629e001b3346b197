//! Property tests (proptest) over the parts that take arbitrary input: the front-matter
//! splitter, slugs, the French typography pass and the dev server's URL resolver.
//! Quick by default; `PROPTEST_CASES=200000 cargo test --release --lib properties` for a
//! long run.

use std::path::Path;

use proptest::prelude::*;

use crate::commands::serve::resolve_path;
use crate::frontmatter::{check_slug, parse, split};
use crate::typography::french;

fn is_single_safe_segment(s: &str) -> bool {
    !s.is_empty() && !s.contains(['/', '\\', '\0']) && s != "." && s != ".." && !s.starts_with('.')
}

proptest! {
    #[test]
    fn front_matter_never_panics(text in "(\\+\\+\\+\n)?[a-z =\"\\[\\]0-9\n+-]{0,200}(\n\\+\\+\\+\n)?.{0,50}") {
        let _ = split(&text, Path::new("x.md"));
        let _ = parse(&text, Path::new("x.md"), true);
    }

    #[test]
    fn front_matter_errors_point_inside_the_file(text in "\\+\\+\\+\n[a-z =\"0-9\n-]{0,120}\n\\+\\+\\+\n") {
        if let Err(error) = parse(&text, Path::new("x.md"), true) {
            let location = error.location().expect("front matter errors have a location");
            prop_assert!(location.line >= 1 && location.line <= text.lines().count().max(1), "{error} for {text:?}");
        }
    }

    #[test]
    fn accepted_slugs_are_single_safe_segments(slug in "\\PC{0,24}") {
        if let Ok(accepted) = check_slug(&slug) {
            prop_assert!(is_single_safe_segment(&accepted), "{accepted:?}");
        }
        let suggested = slug::slugify(&slug);
        prop_assert!(suggested.is_empty() || check_slug(&suggested).is_ok(), "the suggestion {suggested:?} must itself be valid");
    }

    #[test]
    fn typography_is_idempotent(text in "[a-zA-Zéà' :;!?«»%0-9/.\u{a0}\u{202f}-]{0,80}") {
        let once = french(&text);
        prop_assert_eq!(french(&once), once.clone());
        // Apostrophes become typographic except inside URLs, which are left as written.
        let skeleton = |s: &str| -> String {
            s.chars().filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | ' ')).map(|c| if c == '’' { '\'' } else { c }).collect()
        };
        prop_assert_eq!(skeleton(&once), skeleton(&text), "only spaces and apostrophes change");
    }

    #[test]
    fn typography_never_touches_code(code in "[a-z:;!?'«»][a-z :;!?'«»]{0,29}", prose in "[a-z:;!?][a-z :;!?]{0,29}") {
        let resolve = |_: &str| Err::<String, String>("no links".into());
        let options = crate::markdown::RenderOptions {
            french: true,
            id_prefix: "p-",
            ..crate::markdown::RenderOptions::for_tests(&resolve)
        };
        let code = code.trim();
        let body = format!("{prose} `{code}` {prose}\n\n```\n{code}\n```\n");
        let rendered = crate::markdown::render(&body, &options);
        let escaped = code.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;");
        let inline = format!("<code>{escaped}</code>");
        let inline_html = format!("<code>{}</code>", code.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"));
        prop_assert!(rendered.html.contains(&inline) || rendered.html.contains(&inline_html), "{code:?} in {}", rendered.html);
        prop_assert!(rendered.html.contains(&escaped) || rendered.html.contains(&code.replace('\'', "&#39;")), "block {code:?} in {}", rendered.html);
    }

    #[test]
    fn served_paths_stay_inside_the_build(url in "/[a-zA-Z0-9%./\\\\?#_-]{0,40}") {
        if let Some(key) = resolve_path(&url) {
            prop_assert!(!key.starts_with('/'), "{key}");
            prop_assert!(!key.contains('\\') && !key.contains('\0'), "{key}");
            prop_assert!(key.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{url} -> {key}");
        }
    }
}
