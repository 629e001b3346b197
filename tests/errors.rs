//! Each invalid input gives a specific error naming the file (and line), never a panic,
//! and leaves the previous output exactly as it was.

mod common;

use std::path::Path;

use common::*;
use gazette::Error;

/// Builds a good site, breaks it with `breakage`, and checks the failed build's error and
/// that the output is untouched. Returns the error's single-line messages.
fn fails_cleanly(breakage: impl FnOnce(&TestSite)) -> (Error, Vec<String>) {
    let site = TestSite::fixture("bilingual");
    site.build_ok();
    let before = site.snapshot();
    assert!(!before.is_empty());
    breakage(&site);
    let error = site.build().expect_err("the build should fail");
    assert_eq!(
        site.snapshot(),
        before,
        "a failed build must leave output/ as it was"
    );
    let messages = error.flatten().iter().map(|e| e.to_string()).collect();
    (error, messages)
}

fn first(messages: &[String]) -> &str {
    messages.first().map(String::as_str).unwrap_or_default()
}

#[test]
fn malformed_toml_names_file_and_line() {
    let (error, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/bad.fr.md",
            "+++\ntitle = \"Oops\ndate = 2026-11-27\n+++\n",
        );
    });
    assert!(matches!(error, Error::FrontMatter { .. }), "{error:?}");
    assert!(
        first(&messages).starts_with("content/news/bad.fr.md:2:"),
        "{messages:?}"
    );
}

#[test]
fn invalid_date() {
    let (error, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/bad.fr.md",
            "+++\ntitle = \"T\"\ndate = \"2026-13-01\"\n+++\n",
        );
    });
    assert!(matches!(error, Error::FrontMatter { .. }));
    assert_eq!(
        first(&messages),
        "content/news/bad.fr.md:3:8: invalid date \"2026-13-01\": write it as 2026-11-27 or 2026-11-27T09:30:00Z"
    );
}

#[test]
fn invalid_toml_date_literal() {
    let (_, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/bad.fr.md",
            "+++\ntitle = \"T\"\ndate = 2026-13-01\n+++\n",
        );
    });
    assert!(
        first(&messages).starts_with("content/news/bad.fr.md:3:"),
        "{messages:?}"
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let (error, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/bad.fr.md",
            "+++\ntitle = \"T\"\ndate = 2026-11-27\ntags = []\ndescripton = \"x\"\n+++\n",
        );
    });
    assert!(matches!(error, Error::FrontMatter { .. }));
    assert_eq!(
        first(&messages),
        "content/news/bad.fr.md:5:1: unknown key `descripton`: did you mean `description`?"
    );
}

#[test]
fn missing_title() {
    let (_, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/bad.fr.md",
            "+++\ndate = 2026-11-27\n+++\nBody\n",
        );
    });
    assert_eq!(
        first(&messages),
        "content/news/bad.fr.md:1:1: missing `title`: add title = \"…\" to the front matter"
    );
}

#[test]
fn missing_date_on_an_article() {
    let (_, messages) = fails_cleanly(|s| {
        s.write("content/news/bad.fr.md", "+++\ntitle = \"T\"\n+++\n");
    });
    assert!(
        first(&messages).starts_with("content/news/bad.fr.md:1:1: missing `date`"),
        "{messages:?}"
    );
}

#[test]
fn unknown_config_key() {
    let (error, messages) = fails_cleanly(|s| {
        let config = std::fs::read_to_string(s.root().join("config.toml")).unwrap();
        s.write(
            "config.toml",
            &config.replace("paginate_by = 2", "paginate_by = 2\npagniate = 3"),
        );
    });
    assert!(matches!(error, Error::Config { .. }));
    assert!(
        first(&messages).starts_with("config.toml:4:1: unknown key `pagniate`"),
        "{messages:?}"
    );
}

#[test]
fn every_unknown_config_key_is_named_in_one_run_with_gazettes_name() {
    let (error, messages) = fails_cleanly(|s| {
        let config = std::fs::read_to_string(s.root().join("config.toml")).unwrap();
        let config = config
            .replace(
                "paginate_by = 2",
                "paginate_by = 2\nbaseURL = \"https://x.org/\"",
            )
            .replace(
                "description = \"A test site\"",
                "description = \"A test site\"\nlanguageName = \"English\"",
            );
        s.write(
            "config.toml",
            &format!("{config}\n[taxonomies]\ncategory = \"categories\"\n"),
        );
    });
    assert!(matches!(error, Error::Many(_)), "{error:?}");
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0]
            .starts_with("config.toml:4:1: unknown key `baseURL`: gazette calls it base_url"),
        "{messages:#?}"
    );
    assert_eq!(
        messages[1],
        "config.toml:13:1: unknown key `languages.en.languageName`: gazette calls it \
         language_name, in the theme's i18n/LANG.toml (the language switcher's name)"
    );
    assert!(
        messages[2].contains(": unknown key `taxonomies`: gazette calls it tags"),
        "{messages:#?}"
    );
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let (error, messages) = fails_cleanly(|s| {
        s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n");
    });
    assert!(matches!(error, Error::Template { .. }), "{error:?}");
    assert!(
        first(&messages).starts_with("templates/page.html:"),
        "{messages:?}"
    );
}

#[test]
fn template_rendering_error_names_the_page() {
    let (error, messages) = fails_cleanly(|s| {
        s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope }}\n{% endblock content %}\n");
    });
    assert!(matches!(error, Error::Template { .. }), "{error:?}");
    let message = first(&messages);
    assert!(message.starts_with("templates/page.html:3:"), "{message}");
    assert!(
        message.contains("while rendering /fr/a-propos/"),
        "{message}"
    );
}

#[test]
fn non_utf8_file() {
    let (error, messages) = fails_cleanly(|s| {
        s.write_bytes(
            "content/news/latin1.fr.md",
            b"+++\ntitle = \"Caf\xe9\"\ndate = 2026-11-27\n+++\n",
        );
    });
    assert!(matches!(error, Error::Encoding { .. }));
    assert!(
        first(&messages)
            .starts_with("content/news/latin1.fr.md:2:13: not valid UTF-8 (byte 16, 0xE9)"),
        "{messages:?}"
    );
}

#[test]
fn slug_that_escapes() {
    for slug in ["../../x", "/abs", "C:\\\\x", "a/../../b"] {
        let (error, messages) = fails_cleanly(|s| {
            s.write(
                "content/news/bad.fr.md",
                &format!("+++\ntitle = \"T\"\ndate = 2026-11-27\nslug = \"{slug}\"\n+++\n"),
            );
        });
        assert!(matches!(error, Error::FrontMatter { .. }), "{slug}");
        assert!(
            first(&messages).starts_with("content/news/bad.fr.md:4:8: invalid slug"),
            "{slug}: {messages:?}"
        );
    }
}

#[test]
fn two_pages_at_one_url() {
    let (error, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/other.fr.md",
            "+++\ntitle = \"T\"\ndate = 2026-11-27\nslug = \"first\"\n+++\n",
        );
    });
    assert!(matches!(error, Error::DuplicateUrl { .. }), "{error:?}");
    let message = first(&messages);
    assert!(
        message.contains("content/news/first.fr.md")
            && message.contains("content/news/other.fr.md"),
        "{message}"
    );
}

#[test]
fn two_translations_in_one_language() {
    let (_, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/chat2.fr.md",
            "+++\ntitle = \"T\"\ndate = 2026-11-27\ntranslation_key = \"cat\"\n+++\n",
        );
    });
    let message = first(&messages);
    assert!(
        message.contains("content/news/chat.fr.md") && message.contains("content/news/chat2.fr.md"),
        "{message}"
    );
}

#[test]
fn broken_internal_link_names_file_and_line() {
    let (error, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/bad.fr.md",
            "+++\ntitle = \"T\"\ndate = 2026-11-27\n+++\nIntro.\n\nVoir [ça](@/news/nope.md).\n",
        );
    });
    assert!(matches!(error, Error::Link { .. }));
    assert!(
        first(&messages)
            .starts_with("content/news/bad.fr.md:7:6: broken internal link @/news/nope.md"),
        "{messages:?}"
    );
}

#[test]
fn unknown_language_suffix_lists_languages() {
    let (_, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/x.de.md",
            "+++\ntitle = \"T\"\ndate = 2026-11-27\n+++\n",
        );
    });
    assert!(
        first(&messages)
            .contains("unknown language suffix \".de\": the configured languages are fr, en"),
        "{messages:?}"
    );
}

#[test]
fn unclosed_front_matter_and_empty_file() {
    let (_, messages) = fails_cleanly(|s| {
        s.write("content/news/a.fr.md", "+++\ntitle = \"T\"\n");
        s.write("content/news/b.fr.md", "");
    });
    assert_eq!(messages.len(), 2, "every error is reported: {messages:?}");
    assert!(
        messages[0].starts_with("content/news/a.fr.md:1:1:")
            && messages[0].contains("never closed")
    );
    assert!(messages[1].starts_with("content/news/b.fr.md:1:1: empty file"));
}

#[test]
fn bom_and_crlf_files_build_like_lf_ones() {
    let site = TestSite::new();
    site.write_bytes("content/notes/a.fr.md", b"\xEF\xBB\xBF+++\r\ntitle = \"Avec BOM\"\r\ndate = 2026-11-27\r\n+++\r\nBonjour : oui.\r\n");
    site.build_ok();
    let html = site.html("fr/notes/a/index.html");
    assert_eq!(text(&html, "h1"), "Avec BOM");
    assert!(text(&html, ".prose").contains("Bonjour\u{a0}: oui."));
    site.write_bytes(
        "content/notes/b.fr.md",
        b"+++\r\ntitle = \"T\"\r\ndate = \"2026-13-01\"\r\n+++\r\n",
    );
    let error = site.build().expect_err("bad date");
    assert!(
        error.to_string().starts_with("content/notes/b.fr.md:3:8:"),
        "{error}"
    );
}

#[test]
fn output_folder_refusals() {
    let site = TestSite::fixture("bilingual");
    for (output, why) in [
        (site.root(), "the site's root"),
        (site.root().join("content"), "content/"),
        (
            site.root().parent().unwrap().to_path_buf(),
            "the site's root",
        ),
        (std::path::PathBuf::from("/"), "root"),
        (site.root().join("static/out"), "inside static/"),
    ] {
        let mut options = site.options();
        options.output = Some(output.clone());
        let error = gazette::build(&options).expect_err("must refuse");
        assert!(matches!(error, Error::Output { .. }), "{output:?}: {error}");
        assert!(error.to_string().contains(why), "{output:?}: {error}");
    }
    assert!(
        site.root().join("content/news/first.fr.md").exists(),
        "nothing was deleted"
    );
}

#[test]
fn foreign_output_folder_needs_force() {
    let site = TestSite::fixture("bilingual");
    site.write("output/precious.txt", "mine");
    let error = site
        .build()
        .expect_err("must refuse a folder gazette did not create");
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(
        std::fs::read_to_string(site.output().join("precious.txt")).unwrap(),
        "mine"
    );
    let mut options = site.options();
    options.force = true;
    gazette::build(&options).expect("with --force");
    assert!(!site.exists("precious.txt"));
    site.build_ok();
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error_not_a_hang() {
    let (error, messages) = fails_cleanly(|s| {
        std::os::unix::fs::symlink(s.root().join("content"), s.root().join("content/news/loop"))
            .unwrap();
    });
    assert!(
        matches!(error, Error::Content { .. }) || matches!(error, Error::Many(_)),
        "{error:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("content/news/loop") && m.contains("loop")),
        "{messages:?}"
    );
}

#[test]
fn an_error_in_an_included_template_names_the_include() {
    let (error, messages) = fails_cleanly(|s| {
        let card = std::fs::read_to_string(
            Path::new(REPO).join("themes/default/templates/partials/card.html"),
        )
        .unwrap();
        s.write(
            "templates/partials/card.html",
            &card.replace("{{ item.title }}", "{{ item.nope }}"),
        );
    });
    assert!(
        matches!(error.flatten()[0], Error::Template { .. }),
        "{error:?}"
    );
    let card = std::fs::read_to_string(
        Path::new(REPO).join("themes/default/templates/partials/card.html"),
    )
    .unwrap();
    let line = 1 + card
        .lines()
        .position(|l| l.contains("{{ item.title }}"))
        .unwrap();
    let message = first(&messages);
    assert!(
        message.starts_with(&format!("templates/partials/card.html:{line}:")),
        "the include, not its parent: {message}"
    );
    assert!(
        message.contains("(while rendering /"),
        "names the page: {message}"
    );
}

#[test]
fn a_published_file_named_like_the_output_marker_is_refused() {
    let (error, messages) = fails_cleanly(|s| {
        s.write("static/.gazette-output", "not a marker");
    });
    assert!(matches!(error, Error::Output { .. }), "{messages:?}");
    assert!(messages[0].contains(".gazette-output"), "{messages:?}");
    assert!(messages[0].contains("rename it"), "{messages:?}");
}

#[test]
fn a_theme_that_is_not_there_is_named() {
    let (error, _) = fails_cleanly(|s| {
        let config = std::fs::read_to_string(s.root().join("config.toml")).unwrap();
        s.write("config.toml", &format!("theme = \"journal\"\n{config}"));
    });
    assert!(matches!(error, Error::Config { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("config.toml: theme \"journal\" not found"),
        "{error}"
    );
}

/// `gazette check` on `site`: its exit code and every `path:line:col: message` line.
fn check_lines(site: &TestSite) -> (Option<i32>, Vec<String>) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("running check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = stderr
        .lines()
        .filter(|l| l.starts_with("content/") || l.starts_with("static/"))
        .map(str::to_string)
        .collect();
    (output.status.code(), lines)
}

#[test]
fn check_and_build_find_every_output_collision_in_one_run_naming_the_sources() {
    let breakage = |s: &TestSite| {
        // Sections whose names differ only in case.
        s.write("content/Notes/a.fr.md", &article("A", "", "x"));
        s.write("content/notes/b.fr.md", &article("B", "", "x"));
        // A slug that is the name of the section list's own file.
        s.write(
            "content/news/idx.fr.md",
            &article("Idx", "slug = \"index.html\"", "x"),
        );
        // A static file where a page's folder goes.
        s.write("static/fr/news", "a file");
        // Folder names that differ only in Unicode normalization (NFC, then NFD).
        s.write("content/caf\u{e9}/x.fr.md", &article("X", "", "x"));
        s.write("content/cafe\u{301}/y.fr.md", &article("Y", "", "x"));
        // An article where the news list's second page goes.
        s.write("content/news/page/2.fr.md", &article("Two", "", "x"));
    };
    let (error, messages) = fails_cleanly(breakage);
    assert!(matches!(error, Error::Many(_)), "{error}");
    let expected = [
        "content/Notes/a.fr.md", // or notes/: one of the two sections is named
        "content/news/idx.fr.md",
        "static/fr/news",
        "content/news/page/2.fr.md",
    ];
    for source in expected {
        let named = |m: &String| {
            m.contains(source) || (source.contains("Notes") && m.contains("content/notes/"))
        };
        assert!(
            messages.iter().any(named),
            "{source} is not named in {messages:?}"
        );
    }
    assert!(
        messages.iter().any(|m| m.contains("caf")),
        "the NFC/NFD folders: {messages:?}"
    );
    // `check` finds the same, in one run.
    let site = TestSite::fixture("bilingual");
    breakage(&site);
    let (code, lines) = check_lines(&site);
    assert_eq!(code, Some(1));
    assert!(lines.len() >= 5, "{lines:?}");
}

#[test]
fn a_slug_longer_than_file_systems_take_is_refused_by_check_and_build() {
    let slug = "a".repeat(300);
    let (_, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/long.fr.md",
            &article("Long", &format!("slug = \"{slug}\""), "x"),
        );
    });
    assert!(
        first(&messages).starts_with("content/news/long.fr.md")
            && first(&messages).contains("longer than"),
        "{messages:?}"
    );
}

#[test]
fn a_static_file_at_the_manifests_name_is_refused_by_check_and_build() {
    let (error, messages) = fails_cleanly(|s| {
        s.write("static/.gazette-output", "mine");
    });
    assert!(matches!(error, Error::Output { .. }), "{error}");
    assert!(first(&messages).contains(".gazette-"), "{messages:?}");
    let site = TestSite::fixture("bilingual");
    site.write("static/.gazette-output", "mine");
    assert_eq!(check_lines(&site).0, Some(1));
}

#[test]
fn symbolic_links_out_of_the_site_are_errors_naming_each_link() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOKEN=hunter2").unwrap();
    std::fs::write(
        outside.path().join("post.fr.md"),
        "+++\ntitle = \"T\"\ndate = 2026-11-27\n+++\nx\n",
    )
    .unwrap();
    let link = |site: &TestSite, at: &str, to: &Path| {
        let path = site.root().join(at);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(to, path).unwrap();
    };
    let (error, messages) = fails_cleanly(|s| {
        link(s, "static/env.txt", Path::new("/proc/self/environ"));
        link(s, "static/secret.txt", &outside.path().join("secret.txt"));
        link(
            s,
            "content/news/post.fr.md",
            &outside.path().join("post.fr.md"),
        );
        link(s, "content/elsewhere", outside.path());
        link(s, "templates/page.html", Path::new("/etc/passwd"));
        // A link that stays inside the site is fine.
        link(s, "static/same-cname", &s.root().join("static/CNAME"));
    });
    assert!(matches!(error, Error::Many(_)), "{error}");
    for at in [
        "static/env.txt",
        "static/secret.txt",
        "content/news/post.fr.md",
        "content/elsewhere",
        "templates/page.html",
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("{at}: this symbolic link leads outside"))),
            "{at}: {messages:?}"
        );
    }
    assert!(
        !messages.iter().any(|m| m.contains("same-cname")),
        "{messages:?}"
    );
}

#[test]
fn ten_thousand_tags_on_one_article_are_refused_at_their_line() {
    let tags: Vec<String> = (0..10_000).map(|i| format!("\"t{i}\"")).collect();
    let (error, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/tags.fr.md",
            &article("Tags", &format!("tags = [{}]", tags.join(", ")), "x"),
        );
    });
    assert!(matches!(error, Error::FrontMatter { .. }), "{error}");
    assert!(
        first(&messages)
            .starts_with("content/news/tags.fr.md:4:8: 10000 tags: a page takes at most 100"),
        "{messages:?}"
    );
}

#[test]
fn every_unknown_key_of_every_file_is_named_in_one_run_with_other_engines_names() {
    let (_, messages) = fails_cleanly(|s| {
        s.write(
            "content/news/a.fr.md",
            "+++\ntitle = \"A\"\ndate = 2026-11-27\nexcerpt = \"x\"\nlastmod = 2026-11-28\ncategories = [\"x\"]\n+++\n",
        );
        s.write(
            "content/news/b.fr.md",
            "+++\ntitle = \"B\"\ndate = 2026-11-27\nsummary = \"x\"\n[taxonomies]\ntags = [\"x\"]\n+++\n",
        );
    });
    let expected = [
        (
            "content/news/a.fr.md:4:1: unknown key `excerpt`",
            "description",
        ),
        ("content/news/a.fr.md:5:1: unknown key `lastmod`", "updated"),
        ("content/news/a.fr.md:6:1: unknown key `categories`", "tags"),
        (
            "content/news/b.fr.md:4:1: unknown key `summary`",
            "description",
        ),
        ("content/news/b.fr.md:5:2: unknown key `taxonomies`", "tags"),
    ];
    for (start, hint) in expected {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(start) && m.contains(hint)),
            "{start} ({hint}) in {messages:?}"
        );
    }
}
