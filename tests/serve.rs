//! `gazette serve --watch`: a real server on port 0, driven over raw HTTP and its
//! Server-Sent Events stream. Waits have deadlines; nothing here asserts a duration.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::server::*;
use common::*;

fn edit_title(path: &Path, title: &str) -> String {
    let text = fs::read_to_string(path).unwrap();
    let start = text.find("title = \"").unwrap() + 9;
    let end = start + text[start..].find('"').unwrap();
    format!("{}{title}{}", &text[..start], &text[end..])
}

/// That the events hold a build error whose message starts at `location`.
fn assert_build_error(received: &[String], location: &str) {
    assert!(
        received
            .iter()
            .any(|e| e.starts_with(&format!("build-error: {location}"))),
        "expected a build error at {location}: {received:?}"
    );
}

fn wait_for_body(served: &Served, path: &str, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if served.get(path).body.contains(needle) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn serves_pages_from_memory_without_touching_output() {
    let served = serve(TestSite::fixture("bilingual"));
    let home = served.get("/fr/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("La Gazette d"), "{}", home.body);
    assert!(
        home.body.contains("/__gazette/events"),
        "the live-reload script is injected"
    );
    assert!(
        home.body
            .contains(&format!("http://127.0.0.1:{}/fr/", served.port)),
        "links point at the local server"
    );
    assert_eq!(served.get("/fr/nope/").status, 404);
    let redirect = served.get("/fr");
    assert_eq!(redirect.status, 301);
    assert!(
        redirect.head.contains("Location: /fr/"),
        "{}",
        redirect.head
    );
    assert_eq!(served.get("/fr/atom.xml").status, 200);
    assert_eq!(served.get("/fr/issues/1/email.txt").status, 200);
    assert!(
        !served
            .get("/style.css")
            .head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );
    assert!(!served.site.output().exists(), "serve never writes output/");
}

#[test]
fn each_way_of_saving_gives_exactly_one_rebuild_with_the_new_content() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    let file = served.path("content/news/first.en.md");
    type Save = fn(&Path, &str);
    let strategies: [(&str, Save); 5] = [
        ("in place", |path, text| fs::write(path, text).unwrap()),
        ("temp file renamed over", |path, text| {
            let temp = path.with_file_name(".first.en.md.tmp");
            fs::write(&temp, text).unwrap();
            fs::rename(&temp, path).unwrap();
        }),
        ("vim: probe, backup by rename, new file", |path, text| {
            let probe = path.with_file_name("4913");
            fs::write(&probe, "").unwrap();
            fs::remove_file(&probe).unwrap();
            let backup = path.with_file_name("first.en.md~");
            fs::rename(path, &backup).unwrap();
            fs::write(path, text).unwrap();
            fs::remove_file(&backup).unwrap();
        }),
        ("JetBrains safe write", |path, text| {
            let temp = path.with_file_name("first.en.md___jb_tmp___");
            let old = path.with_file_name("first.en.md___jb_old___");
            fs::write(&temp, text).unwrap();
            fs::rename(path, &old).unwrap();
            fs::rename(&temp, path).unwrap();
            fs::remove_file(&old).unwrap();
        }),
        ("Helix backup", |path, text| {
            let backup = path.with_file_name("first.en.md.bck");
            fs::copy(path, &backup).unwrap();
            fs::write(path, text).unwrap();
            fs::remove_file(&backup).unwrap();
        }),
    ];
    for (i, (name, save)) in strategies.iter().enumerate() {
        let title = format!("Saved by strategy {i}");
        save(&file, &edit_title(&file, &title));
        let received = events.reloads_after_save();
        assert_eq!(
            received,
            ["reload: page"],
            "{name}: one rebuild, then a reload"
        );
        assert!(
            served.get("/en/news/first/").body.contains(&title),
            "{name}: the new content is served"
        );
    }
}

#[test]
fn editor_temp_files_alone_trigger_no_rebuild() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    for name in [
        ".first.en.md.swp",
        "first.en.md~",
        "4913",
        "#first.en.md#",
        "first.en.md___jb_tmp___",
        "first.en.md.bck",
        ".hidden.md",
    ] {
        fs::write(served.path(&format!("content/news/{name}")), "temp").unwrap();
    }
    fs::write(served.path("static/x.css.swp"), "temp").unwrap();
    fs::write(served.path("README.md"), "not part of the site").unwrap();
    let received = events.collect(Duration::from_secs(2), Duration::from_millis(500));
    assert!(received.is_empty(), "{received:?}");
    fs::write(served.path("static/CNAME2"), "example.org").unwrap();
    assert_eq!(
        events.reloads_after_save(),
        ["reload: page"],
        "a file without an extension is not a temp file"
    );
}

#[test]
fn a_burst_of_changes_gives_at_most_two_rebuilds_and_the_final_state() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    let started = Instant::now();
    fs::create_dir_all(served.path("content/burst")).unwrap();
    for i in 0..500 {
        fs::write(
            served.path(&format!("content/burst/b{i}.fr.md")),
            article(&format!("Burst {i}"), "", "x"),
        )
        .unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the burst itself is quick"
    );
    let received = events.collect(Duration::from_secs(20), Duration::from_millis(2500));
    let reloads = received.iter().filter(|e| e.starts_with("reload")).count();
    assert!((1..=2).contains(&reloads), "{received:?}");
    assert!(wait_for_body(&served, "/fr/burst/b499/", "Burst 499"));
    let list = served.get("/fr/burst/page/50/");
    assert_eq!(list.status, 200, "all 500 are listed (10 per page)");
}

#[test]
fn creating_renaming_and_deleting_files_and_sections_is_reflected() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    fs::create_dir_all(served.path("content/reviews")).unwrap();
    fs::write(
        served.path("content/reviews/one.en.md"),
        article("First review", "", "Good."),
    )
    .unwrap();
    events.reloads_after_save();
    assert_eq!(served.get("/en/reviews/one/").status, 200);
    assert!(served.get("/en/reviews/").body.contains("First review"));
    fs::rename(
        served.path("content/reviews/one.en.md"),
        served.path("content/reviews/two.en.md"),
    )
    .unwrap();
    events.reloads_after_save();
    assert_eq!(served.get("/en/reviews/one/").status, 404);
    assert_eq!(served.get("/en/reviews/two/").status, 200);
    fs::rename(
        served.path("content/reviews"),
        served.path("content/critiques"),
    )
    .unwrap();
    events.reloads_after_save();
    assert_eq!(served.get("/en/critiques/two/").status, 200);
    assert_eq!(served.get("/en/reviews/").status, 404);
    fs::remove_dir_all(served.path("content/critiques")).unwrap();
    events.reloads_after_save();
    assert_eq!(served.get("/en/critiques/").status, 404);
    assert!(
        !served.get("/en/").body.contains("First review"),
        "lists follow"
    );
}

#[test]
fn a_broken_file_keeps_the_last_good_build_and_shows_the_error() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    let file = served.path("content/news/first.en.md");
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, "+++\ntitle = \"<unclosed>\n+++\n").unwrap();
    let received = events.reloads_after_save();
    assert_build_error(&received, "content/news/first.en.md:2:");
    let page = served.get("/en/news/first/");
    assert_eq!(page.status, 200, "still serving the last good build");
    assert!(page.body.contains("First article"));
    assert!(
        page.body.contains("id=\"gazette-error\""),
        "the error overlay is shown"
    );
    assert!(
        page.body.contains("&lt;unclosed&gt;") || page.body.contains("content/news/first.en.md:2:"),
        "escaped message"
    );
    assert!(
        !page.body.contains("\"<unclosed>"),
        "the message is HTML-escaped"
    );
    fs::write(&file, good.replace("First article", "Fixed article")).unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
    let page = served.get("/en/news/first/");
    assert!(page.body.contains("Fixed article"));
    assert!(!page.body.contains("id=\"gazette-error\""));
}

#[test]
fn a_css_change_reloads_styles_only() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    fs::write(served.path("static/extra.css"), "body { color: red }").unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: css"]);
    assert_eq!(served.get("/extra.css").body, "body { color: red }");
}

#[test]
fn only_files_of_the_build_are_served() {
    let served = serve(TestSite::fixture("bilingual"));
    for path in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/..%2fconfig.toml",
        "/..%5cconfig.toml",
        "/%252e%252e/config.toml",
        "/..\\config.toml",
        "/.%2e/.%2e/config.toml",
        "/fr/../../config.toml",
        "/content/news/first.fr.md",
        "/config.toml",
        "//etc/passwd",
        "/%00",
    ] {
        let reply = served.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains("base_url"), "{path} leaked the config");
    }
}

#[test]
fn foreign_hosts_and_origins_are_refused() {
    let served = serve(TestSite::fixture("bilingual"));
    let port = served.port;
    let evil = served.raw(&format!(
        "GET /fr/ HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(evil.status, 403);
    let no_host = served.raw("GET /fr/ HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403);
    let localhost = served.raw(&format!(
        "GET /fr/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(localhost.status, 200);
    let origin = served.raw(&format!(
        "GET /__gazette/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(origin.status, 403);
}

#[test]
fn malformed_requests_do_not_stop_the_server() {
    let served = serve(TestSite::fixture("bilingual"));
    for garbage in [
        "\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "\u{0}\u{1}\u{2}",
        "GET /fr/ HTTP/1.1\r\nHost: \r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let _ = stream.write_all(garbage.as_bytes());
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
    assert_eq!(served.get("/fr/").status, 200, "still answering");
}

#[test]
fn a_template_error_found_at_rebuild_is_shown_and_cleared() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    fs::create_dir_all(served.path("templates")).unwrap();
    let broken = "{% extends \"base.html\" %}{% block content %}{{ page.no_such_field }}{% endblock content %}";
    fs::write(served.path("templates/page.html"), broken).unwrap();
    let received = events.reloads_after_save();
    assert_build_error(&received, "templates/page.html:1:");
    assert_eq!(
        served.get("/en/about/").status,
        200,
        "the last good build is still served"
    );
    fs::remove_file(served.path("templates/page.html")).unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
}

#[test]
fn the_trailing_slash_redirect_never_leaves_the_site() {
    let served = serve(TestSite::fixture("bilingual"));
    let reply = served.get("//fr");
    assert_eq!(reply.status, 301);
    assert!(
        reply.head.contains("Location: /fr/\r") || reply.head.ends_with("Location: /fr/"),
        "{}",
        reply.head
    );
}

#[test]
fn a_text_edit_reaches_the_page_lists_feeds_and_email() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/news/third.en.md",
        "+++\ntitle = \"Third\"\ndate = 2026-12-02\nissue = 1\n+++\nThe point of a third text.\n\n<!-- more -->\n\nMore of it.\n",
    );
    let served = serve(site);
    let showing_the_text = [
        "/en/news/third/",
        "/en/news/",
        "/en/issues/1/",
        "/en/atom.xml",
        "/en/rss.xml",
        "/en/feed.json",
        "/en/issues/1/email.html",
        "/en/issues/1/email.txt",
    ];
    // Everything is rendered once first, so that nothing the server kept can hide an update.
    for path in showing_the_text {
        let reply = served.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.body.contains("The point of a third"),
            "{path} shows the text"
        );
    }
    let events = served.events();
    let file = served.path("content/news/third.en.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("The point of", "The gist of")).unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
    for path in showing_the_text {
        let body = served.get(path).body;
        assert!(
            body.contains("The gist of a third"),
            "{path} shows the new text"
        );
        assert!(
            !body.contains("The point of a third"),
            "{path} no longer shows the old one"
        );
    }
}

#[test]
fn a_text_edit_after_a_failed_build_still_reports_the_failure() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    let broken = served.path("content/news/second.en.md");
    let good = fs::read_to_string(&broken).unwrap();
    fs::write(
        &broken,
        "+++\ntitle = \"Second\ndate = 2026-12-01\n+++\nText.\n",
    )
    .unwrap();
    let received = events.reloads_after_save();
    assert_build_error(&received, "content/news/second.en.md:2:");
    let first = served.path("content/news/first.en.md");
    let text = fs::read_to_string(&first).unwrap();
    fs::write(
        &first,
        text.replace("Text with a note", "Prose with a note"),
    )
    .unwrap();
    let received = events.reloads_after_save();
    assert_build_error(&received, "content/news/second.en.md:2:");
    fs::write(&broken, good).unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
    assert!(
        served
            .get("/en/news/first/")
            .body
            .contains("Prose with a note")
    );
}

#[test]
fn a_broken_link_written_into_a_text_is_reported_at_its_line() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    let file = served.path("content/news/first.en.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        format!("{text}\nSee [nothing](@/news/nothing.md).\n"),
    )
    .unwrap();
    let line = text.lines().count() + 2;
    let received = events.reloads_after_save();
    assert_build_error(&received, &format!("content/news/first.en.md:{line}:"));
    let page = served.get("/en/news/first/");
    assert!(page.body.contains("id=\"gazette-error\""));
    assert!(
        !page.body.contains(">nothing</a>"),
        "the last good build is served"
    );
}
