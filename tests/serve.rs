//! `gazette serve --watch`: a real server on port 0, driven over raw HTTP and its
//! Server-Sent Events stream. Waits have deadlines; nothing here asserts a duration.

mod common;

use std::fs;
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::http;
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
        if served.get(path).text().contains(needle) {
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
    assert!(home.text().contains("La Gazette d"), "{}", home.text());
    assert!(
        home.text().contains("/__gazette/events"),
        "the live-reload script is injected"
    );
    assert!(
        home.text()
            .contains(&format!("http://127.0.0.1:{}/fr/", served.port)),
        "links point at the local server"
    );
    assert_eq!(served.get("/fr/nope/").status, 404);
    let redirect = served.get("/fr");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location"),
        Some("/fr/"),
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
            served.get("/en/news/first/").text().contains(&title),
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
    assert!(served.get("/en/reviews/").text().contains("First review"));
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
        !served.get("/en/").text().contains("First review"),
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
    assert!(page.text().contains("First article"));
    assert!(
        page.text().contains("id=\"gazette-error\""),
        "the error overlay is shown"
    );
    assert!(
        page.text().contains("&lt;unclosed&gt;")
            || page.text().contains("content/news/first.en.md:2:"),
        "escaped message"
    );
    assert!(
        !page.text().contains("\"<unclosed>"),
        "the message is HTML-escaped"
    );
    fs::write(&file, good.replace("First article", "Fixed article")).unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
    let page = served.get("/en/news/first/");
    assert!(page.text().contains("Fixed article"));
    assert!(!page.text().contains("id=\"gazette-error\""));
}

#[test]
fn a_css_change_reloads_styles_only() {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    fs::write(served.path("static/extra.css"), "body { color: red }").unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: css"]);
    assert_eq!(served.get("/extra.css").text(), "body { color: red }");
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
        assert!(
            !reply.text().contains("base_url"),
            "{path} leaked the config"
        );
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
    let absolute = served.raw(&format!(
        "GET http://evil.example:{port}/fr/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(
        absolute.status, 403,
        "a full URL in the request line names a host too"
    );
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
        // Whatever comes back, if anything: only the server's survival matters here.
        let _ = http::send_and_end(served.port, garbage.as_bytes());
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
    assert_eq!(reply.header("location"), Some("/fr/"), "{}", reply.head);
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
            reply.text().contains("The point of a third"),
            "{path} shows the text"
        );
    }
    let events = served.events();
    let file = served.path("content/news/third.en.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("The point of", "The gist of")).unwrap();
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
    for path in showing_the_text {
        let body = served.get(path).text();
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
            .text()
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
    assert!(page.text().contains("id=\"gazette-error\""));
    assert!(
        !page.text().contains(">nothing</a>"),
        "the last good build is served"
    );
}

/// tiny_http allocated the declared body size up front and aborted the process.
#[test]
fn a_huge_content_length_is_never_read_nor_allocated() {
    let mut served = serve(TestSite::fixture("bilingual"));
    let port = served.port;
    let huge = "Content-Length: 99999999999999\r\n";
    for (request, status) in [
        (
            format!("POST /fr/ HTTP/1.1\r\nHost: evil.example:{port}\r\n{huge}\r\n"),
            403,
        ),
        (
            format!("POST /fr/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{huge}\r\n"),
            405,
        ),
        (
            format!("PUT /x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{huge}\r\n"),
            405,
        ),
        (
            format!("GET /fr/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{huge}\r\n"),
            200,
        ),
    ] {
        let reply = served.raw(&request);
        assert_eq!(reply.status, status, "{request}");
        assert!(served.alive(), "the server survived {request}");
        if status == 405 {
            assert_eq!(reply.header("allow"), Some("GET, HEAD"));
        }
    }
    assert!(served.alive(), "the server survived");
    assert_eq!(served.get("/fr/").status, 200, "and still answers");
    if let Some(peak) = peak_memory_kib(served.pid()) {
        assert!(peak < 512 * 1024, "no body was allocated: peak {peak} KiB");
    }
}

/// tiny_http's accept loop ended at the first EMFILE: with `--watch` the process went on
/// rebuilding for nobody, without it the process ended.
#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server() {
    survives_running_out_of_file_descriptors(true);
}

#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server_without_watch() {
    survives_running_out_of_file_descriptors(false);
}

fn survives_running_out_of_file_descriptors(watch: bool) {
    let site = TestSite::fixture("bilingual");
    let mut served = serve_with_open_files(site, 128, watch);
    assert_eq!(served.get("/fr/").status, 200);
    // Idle connections, more than the server may have file descriptors: it runs out.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(("127.0.0.1", served.port)).expect("connecting"))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    assert!(served.alive(), "the server survived running out");
    // Queued behind the idle ones: answered once the server closes them for saying nothing.
    let reply = served.get("/fr/");
    assert_eq!(reply.status, 200, "answered while the flood is still open");
    drop(idle);
    assert_eq!(served.get("/en/").status, 200, "and after it");
    assert!(served.alive());
}

/// The bytes of `static/big.bin`: no two neighbouring 256 KiB blocks alike, so a misplaced
/// block shows.
fn pattern(length: usize) -> Vec<u8> {
    (0..length)
        .map(|i| (i % 251) as u8 ^ (i >> 18) as u8)
        .collect()
}

#[test]
fn range_requests_on_a_large_static_file_get_exactly_those_bytes() {
    let site = TestSite::fixture("bilingual");
    let length = 3 * 1024 * 1024 + 123;
    let bytes = pattern(length);
    site.write_bytes("static/big.bin", &bytes);
    let served = serve(site);
    let whole = served.get("/big.bin");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(
        whole.header("content-length"),
        Some(length.to_string().as_str())
    );
    assert_eq!(whole.header("cache-control"), Some("no-store"));
    assert!(whole.body == bytes, "the whole file, byte for byte");
    let last = length - 1;
    for (range, start, end) in [
        ("bytes=0-9".to_string(), 0, 9),
        ("bytes=262000-600000".to_string(), 262000, 600000),
        ("bytes=-100".to_string(), length - 100, last),
        ("bytes=3000000-".to_string(), 3000000, last),
        (format!("bytes=1-{}", length * 2), 1, last),
    ] {
        let reply = served.get_with("/big.bin", &[("Range", &range)]);
        assert_eq!(reply.status, 206, "{range}");
        let expected = format!("bytes {start}-{end}/{length}");
        assert_eq!(reply.header("content-range"), Some(expected.as_str()));
        assert!(
            reply.body == bytes[start..=end],
            "{range}: exactly those bytes"
        );
    }
    let beyond = format!("bytes={length}-");
    let reply = served.get_with("/big.bin", &[("Range", &beyond)]);
    assert_eq!(reply.status, 416);
    let expected = format!("bytes */{length}");
    assert_eq!(reply.header("content-range"), Some(expected.as_str()));
    for (name, value) in [("Range", "bytes=0-1,5-6"), ("Range", "pages=1")] {
        let reply = served.get_with("/big.bin", &[(name, value)]);
        assert_eq!(reply.status, 200, "{value}: the whole file");
        assert_eq!(reply.body.len(), length);
    }
    let reply = served.get_with("/big.bin", &[("Range", "bytes=0-9"), ("If-Range", "\"x\"")]);
    assert_eq!(reply.status, 200, "no validator given, so none can match");
    let head = served.raw(&format!(
        "HEAD /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        served.port
    ));
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(length.to_string().as_str())
    );
    assert!(head.body.is_empty());
}

/// The peak resident memory of process `pid` (Linux only).
fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_large_static_file_is_streamed_not_held_in_memory() {
    let site = TestSite::fixture("bilingual");
    let length: u64 = 256 * 1024 * 1024;
    fs::create_dir_all(site.root().join("static")).unwrap();
    // Sparse: no disk space, and reads fast.
    let file = fs::File::create(site.root().join("static/video.mp4")).unwrap();
    file.set_len(length).unwrap();
    let served = serve(site);
    let Some(before) = peak_memory_kib(served.pid()) else {
        return; // No /proc here: nothing to measure with.
    };
    let request = format!(
        "GET /video.mp4 HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        served.port
    );
    let (reply, mut body) = http::open(served.port, request.as_bytes()).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("video/mp4"));
    let received = std::io::copy(&mut body, &mut std::io::sink()).unwrap();
    assert_eq!(received, length);
    let after = peak_memory_kib(served.pid()).unwrap_or(before);
    assert!(
        after - before < 64 * 1024,
        "a 256 MiB file sent with {} KiB more at peak",
        after - before
    );
}

fn replace_title(path: &Path, title: &str) {
    fs::write(path, edit_title(path, title)).unwrap();
}

/// Replaces content/ by way of `replace(content, new)`, with a copy whose first article has
/// another title; then an edit in the new content/ must still be seen.
fn content_replaced_then_edited(replace: fn(&Path, &Path)) {
    let served = serve(TestSite::fixture("bilingual"));
    let events = served.events();
    let new = served.path("new-content");
    copy_dir(&served.path("content"), &new);
    replace_title(&new.join("news/first.en.md"), "From the new folder");
    replace(&served.path("content"), &new);
    assert!(events.reloads_after_save().contains(&"reload: page".into()));
    assert!(wait_for_body(
        &served,
        "/en/news/first/",
        "From the new folder"
    ));
    replace_title(&served.path("content/news/first.en.md"), "Edited after");
    assert_eq!(events.reloads_after_save(), ["reload: page"], "not deaf");
    assert!(wait_for_body(&served, "/en/news/first/", "Edited after"));
}

#[test]
fn the_watcher_follows_a_content_folder_deleted_and_copied_back() {
    content_replaced_then_edited(|content, new| {
        fs::remove_dir_all(content).unwrap();
        copy_dir(new, content);
    });
}

#[test]
fn the_watcher_follows_a_content_folder_swapped_by_renames() {
    content_replaced_then_edited(|content, new| {
        fs::rename(content, content.with_file_name("old-content")).unwrap();
        fs::rename(new, content).unwrap();
    });
}

/// `cp -p` and `rsync -a` keep the time; an edit of the same length keeps the size.
#[test]
fn an_edit_that_keeps_size_and_time_reaches_the_page() {
    let served = serve(TestSite::fixture("bilingual"));
    assert!(
        served
            .get("/en/news/first/")
            .text()
            .contains("First article: hello!")
    );
    let events = served.events();
    let file = served.path("content/news/first.en.md");
    let before = fs::metadata(&file).unwrap();
    let text = fs::read_to_string(&file).unwrap();
    let edited = text.replace("First article: hello!", "Other article: hello!");
    assert_eq!(edited.len(), text.len());
    fs::write(&file, edited).unwrap();
    let handle = fs::File::options().write(true).open(&file).unwrap();
    handle.set_modified(before.modified().unwrap()).unwrap();
    drop(handle);
    let after = fs::metadata(&file).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap())
    );
    assert_eq!(events.reloads_after_save(), ["reload: page"]);
    assert!(wait_for_body(
        &served,
        "/en/news/first/",
        "Other article: hello!"
    ));
}

#[test]
fn serve_with_a_missing_root_exits_at_once_naming_it() {
    let missing = tempfile::tempdir().unwrap().path().join("no-site-here");
    for watch in [false, true] {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"));
        command
            .args(["serve", "--port", "0", "--root"])
            .arg(&missing);
        if watch {
            command.arg("--watch");
        }
        let mut child = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!(
                    "serve --root {} (watch: {watch}) kept running",
                    missing.display()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(1), "{stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("{}: no such folder", missing.display())),
            "{stderr}"
        );
    }
}
