//! The 652 examples of the CommonMark spec (0.31.2), each rendered by gazette's Markdown
//! stage and compared with the spec's HTML once both are normalised: for what gazette adds on
//! purpose (heading ids, the code block wrapper's class, links made absolute: the spec's
//! hrefs are made absolute the same way first), and as the spec's own runner normalises
//! (`"` and `&quot;` in text are the same, as is a line break after `<li>`).

use super::*;

#[derive(serde::Deserialize)]
struct Example {
    example: usize,
    section: String,
    markdown: String,
    html: String,
}

const PAGE: &str = "https://g.example/a/b/";
const BASE: &str = "https://g.example";

fn no_links(_: &str) -> Result<String, String> {
    Err("no @/ links in the spec".into())
}

fn options() -> RenderOptions<'static> {
    RenderOptions {
        page_url: PAGE,
        base_url: BASE,
        ..RenderOptions::for_tests(&no_links)
    }
}

/// `html` with what gazette adds on purpose taken out: heading ids, the code block's class
/// and language attribute.
fn normalise_ours(html: &str) -> String {
    let mut out = html.replace("<pre class=\"code\">", "<pre>");
    while let Some(at) = out.find("<pre class=\"code\" data-lang=\"") {
        let end = out[at..].find('>').map_or(out.len(), |e| at + e);
        out.replace_range(at..end, "<pre");
    }
    for level in 1..=6 {
        let open = format!("<h{level} id=\"");
        while let Some(at) = out.find(&open) {
            let id_start = at + open.len();
            let end = out[id_start..]
                .find('"')
                .map_or(out.len(), |e| id_start + e + 1);
            out.replace_range(at..end, &format!("<h{level}"));
        }
    }
    out
}

/// The spec's HTML with each link and image URL made absolute, as gazette makes them.
fn normalise_expected(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['h', 's']) {
        let after = &rest[at..];
        let attribute = ["href=\"", "src=\""]
            .into_iter()
            .find(|a| after.starts_with(a));
        let Some(attribute) = attribute.filter(|_| rest[..at].ends_with(' ')) else {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        };
        let value_start = at + attribute.len();
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        let absolute = urls::absolutize(value, PAGE, BASE);
        out.push_str(&rest[..value_start]);
        out.push_str(&absolute);
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// Differences the spec's runner does not count: how a quote or an ampersand is written
/// (raw HTML keeps `&ouml;` as written, which means the same as the spec's `&amp;ouml;` made
/// absolute), a line break at the start of a list item, and a space before `/>` (lol_html
/// writes one when it rewrites a raw tag's URL).
fn same_html(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("<li>\n", "<li>")
        .replace("\" />", "\"/>")
}

#[test]
fn every_commonmark_example_renders_as_the_spec_says() {
    let examples: Vec<Example> = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/commonmark/spec-0.31.2.json"
    )))
    .expect("the spec's examples parse");
    assert_eq!(examples.len(), 652);
    let mut failures = Vec::new();
    for example in &examples {
        let ours = same_html(&normalise_ours(&render(&example.markdown, &options()).html));
        let expected = same_html(&normalise_expected(&example.html));
        if ours != expected {
            failures.push(format!(
                "example {} ({}):\n{:?}\nexpected:\n{:?}\ngot:\n{:?}\n",
                example.example, example.section, example.markdown, expected, ours
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 652 examples differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
