use super::*;

fn resolve(target: &str) -> Result<String, String> {
    match target {
        "articles/b.md" => Ok("https://g.example/fr/articles/b/".into()),
        "articles/b.md#x" => Ok("https://g.example/fr/articles/b/#x".into()),
        other => Err(format!("no page at @/{other}")),
    }
}

fn options(french: bool) -> RenderOptions<'static> {
    RenderOptions {
        french,
        highlight: true,
        id_prefix: "a-",
        page_url: "https://g.example/fr/articles/a/",
        ..RenderOptions::for_tests(&resolve)
    }
}

fn render_with(body: &str, french: bool) -> Rendered {
    render(body, &options(french))
}

#[test]
fn heading_ids_are_slugged_and_unique() {
    let r = render_with(
        "## En pratique\n\n## En pratique\n\n### Été {#ete}\n",
        false,
    );
    assert!(
        r.html.contains("<h2 id=\"en-pratique\">En pratique</h2>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"en-pratique-1\">"), "{}", r.html);
    assert!(r.html.contains("<h3 id=\"ete\">"), "{}", r.html);
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[1].children[0].title, "Été");
}

#[test]
fn footnotes_are_prefixed_and_collected() {
    let r = render_with(
        "Texte[^1] et[^n].\n\n[^1]: Première.\n[^n]: Seconde.\n",
        false,
    );
    assert!(
        r.html.contains("href=\"#a-fn-1\" id=\"a-fn-1-ref\">1</a>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<li id=\"a-fn-n\">"), "{}", r.html);
    assert!(r.html.contains("<section class=\"footnotes\""));
    assert!(!r.html.contains("id=\"1\""));
}

#[test]
fn summary_stops_at_more() {
    let r = render_with("Intro.\n\n<!-- more -->\n\nSuite.\n", false);
    assert_eq!(r.summary.as_deref(), Some("<p>Intro.</p>\n"));
    assert!(r.html.contains("Suite."));
    assert!(!r.html.contains("more"));
}

#[test]
fn internal_links_resolve_and_broken_ones_are_reported() {
    let r = render_with(
        "[b](@/articles/b.md) [x](@/articles/b.md#x) [z](@/nope.md)",
        false,
    );
    assert!(
        r.html.contains("href=\"https://g.example/fr/articles/b/\""),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("href=\"https://g.example/fr/articles/b/#x\"")
    );
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].offset, 44);
}

#[test]
fn relative_images_become_absolute() {
    let r = render_with("![Un graphique](chart.svg) ![](x.png)", false);
    assert!(
        r.html
            .contains("src=\"https://g.example/fr/articles/a/chart.svg\" alt=\"Un graphique\""),
        "{}",
        r.html
    );
    assert_eq!(r.images_without_alt.len(), 1);
}

#[test]
fn french_typography_skips_code_urls_and_alt() {
    let body = "Le constat : « simple » !\n\n`a : b ?` et <https://x.io/?q=1>\n\n![Titre : image](i.png)\n\n```rust\nfn main() { println!(\"Bonjour ?\"); }\n```\n";
    let r = render_with(body, true);
    assert!(
        r.html
            .contains("Le constat\u{a0}: «\u{a0}simple\u{a0}»\u{202f}!"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<code>a : b ?</code>"));
    assert!(r.html.contains(">https://x.io/?q=1</a>"));
    assert!(r.html.contains("alt=\"Titre : image\""));
    assert!(!r.html.contains("Bonjour\u{202f}?"));
    assert!(!r.html.contains("Bonjour\u{a0}?"));
}

#[test]
fn tables_tasks_strikethrough() {
    let r = render_with(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] fait\n\n~~barré~~\n",
        false,
    );
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("<del>barré</del>"));
}

#[test]
fn words_and_reading_time() {
    let r = render_with(&"mot ".repeat(450), false);
    assert_eq!(r.words, 450);
    assert_eq!(r.reading_minutes, 3);
}

#[test]
fn pathological_input_terminates() {
    let deep = format!("{}x", "> ".repeat(5000));
    let brackets = "[".repeat(20000);
    let r = render_with(&format!("{deep}\n\n{brackets}\n"), true);
    assert!(!r.html.is_empty());
}

#[test]
fn rendering_the_text_too_leaves_the_html_as_it_is() {
    let body = "Intro : « oui » ! Voir [b](@/articles/b.md#x), [ext](https://x.io/a?b=1) \
                et ![img](i.png).\n\n> Citation *longue* qui s'étend sur plusieurs mots pour \
                dépasser la largeur de la ligne du texte.\n\n1. un\n2. deux[^n]\n\n\
                | a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n\
                <!-- more -->\n\n## Fin\n\n[^n]: Une note.\n";
    for french in [false, true] {
        let options = options(french);
        let both = render_with_text(body, &options, true);
        let html_only = render(body, &options);
        let text = both.text.as_ref().map(|t| t.layout_alone(40));
        assert!(text.is_some_and(|t| t.contains("Intro")));
        assert_eq!(both.html, html_only.html);
        assert_eq!(both.summary, html_only.summary);
        assert_eq!(html_only.text, None);
    }
}

#[test]
fn the_text_part_is_typeset_as_the_page_is() {
    let body = "Voir : « oui » ! C'est 50 %.\n\n## Titre ; sous-titre ?\n\n- Point : un\n\n\
                > Citation : fin\n";
    let rendered = render_with_text(body, &options(true), true);
    let text = rendered
        .text
        .as_ref()
        .map(|t| t.layout_alone(72))
        .unwrap_or_default();
    for typeset in [
        "Voir\u{a0}: «\u{a0}oui\u{a0}»\u{202f}!",
        "C’est 50\u{a0}%",
        "Titre\u{202f}; sous-titre\u{202f}?",
        "Point\u{a0}: un",
        "Citation\u{a0}: fin",
    ] {
        assert!(
            rendered.html.contains(typeset),
            "{typeset:?} in {:?}",
            rendered.html
        );
        assert!(text.contains(typeset), "{typeset:?} in {text:?}");
    }
    assert_eq!(text, render_text(body, &options(true), 72));
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    let pieces = [
        "a", "mot", "é", " ", "  ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{a0}", "\u{202f}",
        "\u{2003}", "\u{3000}", "œuvre", "—", "x\u{a0}!", "日本",
    ];
    let mut next = crate::test_support::xorshift(0x1234_5678_9ABC_DEF1);
    for _ in 0..20_000 {
        let n = (next() % 16) as usize;
        let text: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        assert_eq!(
            count_words(&text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
}

#[test]
fn raw_html_depth_is_counted_at_its_deepest() {
    assert_eq!(super::raw_depth_change("<div><div>x</div></div>"), (0, 2));
    assert_eq!(super::raw_depth_change("<div class=\"a\">"), (1, 1));
    assert_eq!(super::raw_depth_change("</section>"), (-1, 0));
    // Void and self-closing elements, optional end tags and comments do not nest.
    assert_eq!(
        super::raw_depth_change("<p>a<p>b<br><img src=x><x-y/><!-- c --><li>"),
        (0, 0)
    );
}

#[test]
fn only_a_block_of_attributes_ends_a_heading() {
    let r = render_with(
        "## The set {a, b}\n\n## struct Point {x}\n\n## Named {#here .wide}\n\n## Both {.a #b data-x=1}\n",
        false,
    );
    assert!(r.html.contains(">The set {a, b}</h2>"), "{}", r.html);
    assert!(r.html.contains(">struct Point {x}</h2>"), "{}", r.html);
    assert!(
        r.html.contains("<h2 id=\"here\" class=\"wide\">Named</h2>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<h2 id=\"b\" class=\"a\">Both</h2>"),
        "{}",
        r.html
    );
    assert_eq!(r.toc[2].title, "Named");
}

#[test]
fn email_autolinks_are_mailto_links() {
    let r = render_with("Écrivez à <redaction@gazette.example>.\n", true);
    assert!(
        r.html.contains("href=\"mailto:redaction@gazette.example\""),
        "{}",
        r.html
    );
}

#[test]
fn raw_html_code_and_scripts_are_not_typeset() {
    let r = render_with(
        "Voir <code>if (a) { b; }</code> et <kbd>Ctrl : C</kbd>.\n\nUn <script>alert('a : b')</script> ici ; enfin <samp>x ?</samp>\n",
        true,
    );
    assert!(r.html.contains("<code>if (a) { b; }</code>"), "{}", r.html);
    assert!(r.html.contains("<kbd>Ctrl : C</kbd>"), "{}", r.html);
    assert!(r.html.contains("alert('a : b')"), "{}", r.html);
    assert!(r.html.contains("<samp>x ?</samp>"), "{}", r.html);
    assert!(
        r.html.contains("ici\u{202f}; enfin"),
        "prose still is: {}",
        r.html
    );
}

#[test]
fn a_line_break_before_french_punctuation_becomes_the_no_break_space() {
    let r = render_with("Une liste\n; puis\n: et voilà\n! fin\n", true);
    assert!(
        r.html
            .contains("liste\u{202f}; puis\u{a0}: et voilà\u{202f}! fin"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("\n;"), "{}", r.html);
}

#[test]
fn an_escaped_apostrophe_stays_straight() {
    let r = render_with("l\\'apostrophe droite, l'autre courbe\n", true);
    assert!(
        r.html.contains("l'apostrophe droite, l’autre"),
        "{}",
        r.html
    );
}

#[test]
fn heading_ids_keep_the_words_of_their_code() {
    let r = render_with("## Using `cargo` today\n\n# `rustpkg`\n", false);
    assert!(r.html.contains("id=\"using-cargo-today\""), "{}", r.html);
    assert!(r.html.contains("id=\"rustpkg\""), "{}", r.html);
}

#[test]
fn heading_ids_can_be_made_as_other_engines_make_them() {
    use crate::config::HeadingIds;
    let text = "Été 2026 : « Rust » & l'IA, v1.2";
    assert_eq!(
        super::heading_id(HeadingIds::Gazette, text),
        "ete-2026-rust-l-ia-v1-2"
    );
    assert_eq!(
        super::heading_id(HeadingIds::Hugo, text),
        "été-2026---rust---lia-v12"
    );
    assert_eq!(
        super::heading_id(HeadingIds::Jekyll, "2. Using `cargo` today!"),
        "2-using-cargo-today"
    );
    assert_eq!(
        super::heading_id(HeadingIds::Jekyll, "Déjà-vu : le retour"),
        "déjà-vu--le-retour"
    );
    for (block, markup) in [
        ("## Les _modelines_ ##\n", "Les _modelines_"),
        ("# C# #\n", "C#"),
        ("## Title {#own .x}\n", "Title"),
        ("Two\nlines\n---\n", "Two lines"),
        ("###\n", ""),
    ] {
        assert_eq!(super::heading_markup(block), markup, "{block:?}");
    }
}

#[test]
fn other_engines_shortcodes_in_prose_are_warned_about_not_in_code() {
    let body = "Avant {{< youtube id=\"x\" >}} et {{% note %}}.\n\n{{ figure(src=\"a.png\") }}\n\n\
                {% highlight rust %}\n\nMais `{{< code >}}` et {{ pas un }}.\n\n```\n{% raw %}\n```\n";
    let r = render_with(body, false);
    let messages: Vec<&str> = r.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(
        messages[0].starts_with("{{< youtube id=\"x\" >}} looks like"),
        "{messages:?}"
    );
    assert!(
        messages[2].starts_with("{{ figure(src=\"a.png\") }}"),
        "{messages:?}"
    );
    assert!(
        messages[3].starts_with("{% highlight rust %}"),
        "{messages:?}"
    );
}

#[test]
fn a_tables_first_column_names_its_rows() {
    let r = render_with(
        "| | HTTP/2 | HTTP/3 |\n|---|---|:---:|\n| Transport | TCP | QUIC |\n| **Chiffré** | Oui | Oui |\n",
        false,
    );
    let html = r.html.replace('\n', "");
    assert!(
        html.contains(
            "<thead><tr><td></td><th scope=\"col\">HTTP/2</th><th scope=\"col\" style=\"text-align: center\">HTTP/3</th></tr></thead>"
        ),
        "the empty corner is no header: {html}"
    );
    assert!(
        html.contains(
            "<tr><th scope=\"row\">Transport</th><td>TCP</td><td style=\"text-align: center\">QUIC</td></tr>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<th scope=\"row\"><strong>Chiffré</strong></th>"),
        "{html}"
    );
}

#[test]
fn a_table_of_figures_or_of_one_column_keeps_data_cells() {
    let figures = render_with("| Année | Montant |\n|--:|--:|\n| 2025 | 17 |\n", false);
    assert!(
        figures
            .html
            .contains("<td style=\"text-align: right\">2025</td>"),
        "{}",
        figures.html
    );
    assert!(!figures.html.contains("scope=\"row\""), "{}", figures.html);
    let single = render_with("| Étapes |\n|---|\n| Une |\n", false);
    assert!(single.html.contains("<td>Une</td>"), "{}", single.html);
    assert!(
        single.html.contains("<th scope=\"col\">Étapes</th>"),
        "{}",
        single.html
    );
}

#[test]
fn english_quotes_never_in_code_and_escapes_stay() {
    let english = RenderOptions {
        english: true,
        ..options(false)
    };
    let r = render(
        "\"Meta's\" `it's \"code\"` and \\'straight\\' ones.\n\n```sh\necho 'x' \"y\"\n```\n\n<code>'raw'</code> 'quoted'\n",
        &english,
    );
    assert!(r.html.contains("“Meta’s”"), "{}", r.html);
    assert!(r.html.contains("<code>it's \"code\"</code>"), "{}", r.html);
    assert!(
        r.html.contains("'straight'"),
        "escaped quotes stay: {}",
        r.html
    );
    assert!(!r.html.contains("echo ‘x’"), "{}", r.html);
    assert!(r.html.contains("<code>'raw'</code> ‘quoted’"), "{}", r.html);
    let again = render(&r.html, &english);
    assert!(
        again.html.contains("“Meta’s”"),
        "idempotent: {}",
        again.html
    );
}
