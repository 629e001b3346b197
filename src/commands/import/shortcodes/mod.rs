//! A page body with its engine's shortcodes -> the body gazette renders: the built-in ones
//! converted to Markdown or HTML (figures, videos, highlighted code, internal links, gists),
//! the others left in place and listed with their line, for a person to finish.

mod hugo;
mod jekyll;
mod zola;

use std::ops::Range;

use super::Engine;

/// An internal link written as a shortcode, for the importer to resolve to `@/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// Hugo `ref`/`relref`: a content path, with or without extension, or a file name.
    Hugo,
    /// Jekyll `{% link path %}`: a source path from the site root.
    JekyllLink,
    /// Jekyll `{% post_url 2018-06-04-name %}`.
    PostUrl,
}

/// The converted body, and what was done to it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Converted {
    pub body: String,
    /// Names of the shortcodes converted, one entry each time.
    pub converted: Vec<String>,
    /// (line in the body, starting at 1; the shortcode as written) of each left in place.
    pub unknown: Vec<(usize, String)>,
}

/// Converts `body`; `resolve` turns an internal reference into an `@/` link.
pub(crate) fn convert(
    engine: Engine,
    body: &str,
    resolve: &dyn Fn(RefKind, &str) -> Option<String>,
) -> Converted {
    let mut out = Out {
        body: String::with_capacity(body.len()),
        done: Converted::default(),
        source: body,
    };
    match engine {
        Engine::Hugo => hugo::convert(body, &mut out, resolve),
        Engine::Zola => zola::convert(body, &mut out),
        Engine::Jekyll => jekyll::convert(body, &mut out, resolve),
    }
    out.done.body = out.body;
    out.done
}

/// The body being written, and the tally.
struct Out<'a> {
    body: String,
    done: Converted,
    source: &'a str,
}

impl Out<'_> {
    fn unknown(&mut self, at: usize, text: &str) {
        let line = self.source[..at].matches('\n').count() + 1;
        let shown: String = text.chars().take(80).collect();
        self.done.unknown.push((line, shown));
    }

    fn converted(&mut self, name: &str, replacement: &str) {
        self.done.converted.push(name.to_string());
        self.body.push_str(replacement);
    }
}

// ---- What the conversions write

/// A Markdown fenced code block; the fence is longer than any backtick run in the code.
fn fenced(lang: &str, code: &str) -> String {
    let code = code.strip_prefix('\n').unwrap_or(code);
    let code = code.strip_prefix("\r\n").unwrap_or(code).trim_end();
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let lang: String = lang.chars().filter(|c| !c.is_whitespace()).collect();
    format!("{fence}{lang}\n{code}\n{fence}")
}

fn figure(src: &str, alt: &str, link: Option<&str>, captions: [Option<&str>; 2]) -> String {
    let img = format!("<img src=\"{}\" alt=\"{}\">", attr(src), attr(alt));
    let img = match link {
        Some(link) => format!("<a href=\"{}\">{img}</a>", attr(link)),
        None => img,
    };
    let caption: Vec<String> = captions
        .iter()
        .flatten()
        .filter(|c| !c.trim().is_empty())
        .map(|c| text(c))
        .collect();
    match caption.is_empty() {
        true => format!("<figure>{img}</figure>"),
        false => format!(
            "<figure>{img}<figcaption>{}</figcaption></figure>",
            caption.join(" — ")
        ),
    }
}

fn video(src: &str, title: &str) -> String {
    format!(
        "<div class=\"video\"><iframe src=\"{}\" title=\"{}\" loading=\"lazy\" \
         allowfullscreen></iframe></div>",
        attr(src),
        attr(title)
    )
}

/// A gist as a link: gazette publishes no third-party scripts.
fn gist_link(url: &str, file: Option<&str>) -> String {
    let name = url
        .trim_start_matches("https://gist.github.com/")
        .trim_end_matches(".js");
    match file {
        Some(file) => format!(
            "[gist {name}: {file}]({url}#file-{})",
            file.replace('.', "-")
        ),
        None => format!("[gist {name}]({url})"),
    }
}

fn attr(value: &str) -> String {
    text(value).replace('"', "&quot;")
}

fn text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ---- Scanning

/// The first of `needles` at or after `from`.
fn next_of(body: &str, from: usize, needles: &[&str]) -> Option<usize> {
    needles
        .iter()
        .filter_map(|n| body[from..].find(n).map(|i| i + from))
        .min()
}

/// Where `needle` first occurs in `text` outside double quotes and backticks.
fn find_outside_quotes(text: &str, needle: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            // `"An \"A\""`: Go and Tera strings escape quotes.
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if text[i..].starts_with(needle) => return Some(i),
            None => {}
        }
    }
    None
}

/// Splits `a "b c" key=value key="d e"` into (key, value) pairs, quotes removed.
fn split_args(text: &str) -> Vec<(Option<String>, String)> {
    let mut args = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return args;
        }
        let mut key = None;
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            match c {
                '"' | '`' | '\'' => {
                    chars.next();
                    word.extend(chars.by_ref().take_while(|&d| d != c));
                }
                '=' if key.is_none() => {
                    chars.next();
                    key = Some(std::mem::take(&mut word));
                }
                c if c.is_whitespace() => break,
                c => {
                    chars.next();
                    word.push(c);
                }
            }
        }
        args.push((key, word));
    }
}

/// The byte ranges of code (spans and blocks) in Markdown, where Zola runs no shortcode.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(body)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;

    fn no_refs(_: RefKind, _: &str) -> Option<String> {
        None
    }

    fn hugo_of(body: &str) -> Converted {
        convert(Engine::Hugo, body, &|kind, target| match (kind, target) {
            (RefKind::Hugo, "posts/a.md") => Some("@/posts/a.md".into()),
            _ => None,
        })
    }

    #[test]
    fn hugo_builtins() {
        let done = hugo_of(
            "A {{< figure src=\"a.png\" alt=\"An \\\"A\\\"\" caption=\"C > D\" >}}\n\
             {{< youtube w7Ft2ymGmfc >}}\n{{< vimeo id=\"1\" >}}\n\
             [x]({{< ref \"posts/a.md\" >}}) {{< gist spf13 7896402 >}}\n\
             {{< highlight go \"linenos=table\" >}}\nfmt.Println(1)\n{{< /highlight >}}\nEnd",
        );
        assert!(done.unknown.is_empty(), "{:?}", done.unknown);
        assert!(
            done.body.contains("<figure><img src=\"a.png\""),
            "{}",
            done.body
        );
        assert!(done.body.contains("<figcaption>C &gt; D</figcaption>"));
        assert!(done.body.contains("youtube-nocookie.com/embed/w7Ft2ymGmfc"));
        assert!(done.body.contains("player.vimeo.com/video/1"));
        assert!(done.body.contains("[x](@/posts/a.md)"));
        assert!(
            done.body
                .contains("(https://gist.github.com/spf13/7896402)")
        );
        assert!(
            done.body.contains("```go\nfmt.Println(1)\n```\nEnd"),
            "{}",
            done.body
        );
        assert_eq!(done.converted.len(), 6);
    }

    #[test]
    fn hugo_unknown_and_escaped_stay() {
        let body = "x\n{{< terminal title=\"a\" >}}\nls\n{{< /terminal >}}\n\
                    {{</* figure src=\"x\" */>}} {{% notice tip %}}hi{{% /notice %}}\n\
                    [y]({{< ref \"missing.md\" >}}) {{< broken";
        let done = hugo_of(body);
        let lines: Vec<usize> = done.unknown.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 5, 6, 6], "{:?}", done.unknown);
        assert!(
            done.body
                .contains("{{< terminal title=\"a\" >}}\nls\n{{< /terminal >}}")
        );
        assert!(
            done.body.contains("{{< figure src=\"x\" >}}"),
            "{}",
            done.body
        );
        assert!(done.body.ends_with("{{< broken"));
    }

    #[test]
    fn zola_builtins_not_in_code() {
        let done = convert(
            Engine::Zola,
            "{{ youtube(id=\"abc\", autoplay=true) }}\n{{ gist(url=\"https://gist.github.com/u/1\") }}\n\
             `{{ youtube(id=\"no\") }}`\n{% mermaid() %}\ngraph\n{% end %}\n{{/* vimeo(id=\"1\") */}}\n\
             {{ streamable(id='s') }}",
            &no_refs,
        );
        assert!(done.body.contains("youtube-nocookie.com/embed/abc"));
        assert!(
            done.body
                .contains("[gist u/1](https://gist.github.com/u/1)")
        );
        assert!(done.body.contains("`{{ youtube(id=\"no\") }}`"));
        assert!(done.body.contains("{{ vimeo(id=\"1\") }}"));
        assert!(done.body.contains("streamable.com/e/s"));
        assert_eq!(done.unknown, [(4, "{% mermaid() %}".to_string())]);
    }

    #[test]
    fn jekyll_tags() {
        let done = convert(
            Engine::Jekyll,
            "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n\
             [a]({% post_url 2018-06-04-first %}) [b]({{ site.baseurl }}/x) \
             [c]({{ '/y' | relative_url }})\n{% raw %}{{ kept }}{% endraw %}\n\
             {% if page.x %}y{% endif %} {{ page.title }}{% comment %}gone{% endcomment %}",
            &|kind, target| {
                (kind == RefKind::PostUrl && target == "2018-06-04-first")
                    .then(|| "@/posts/first.md".to_string())
            },
        );
        assert!(
            done.body.starts_with("```ruby\nputs 1\n```\n"),
            "{}",
            done.body
        );
        assert!(done.body.contains("[a](@/posts/first.md) [b](/x) [c](/y)"));
        assert!(done.body.contains("{{ kept }}"));
        assert!(!done.body.contains("gone"));
        let unknown: Vec<&str> = done.unknown.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(unknown, ["{% if page.x %}", "{{ page.title }}"]);
    }

    #[test]
    fn never_panics_on_cut_input() {
        let text = "{{< figure src=\"é\" >}}{% highlight %}{%}{% endhighlight %}{%}{% raw %}\
                    {%}{{ youtube(id=\"x\") }}{{/* a";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            for engine in [Engine::Hugo, Engine::Zola, Engine::Jekyll] {
                let _ = convert(engine, &text[..end], &no_refs);
            }
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::commands::import::{front, links, place};

    /// Text made of the pieces the scanners look for, in any order: the hostile inputs.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "{{<",
            "{{%",
            ">}}",
            "%}}",
            "{{",
            "}}",
            "{%",
            "%}",
            "/*",
            "*/",
            "\"",
            "'",
            "`",
            "(",
            ")",
            "=",
            " ",
            "\n",
            "\t",
            "figure",
            "highlight",
            "/highlight",
            "end",
            "raw",
            "endraw",
            "youtube",
            "ref",
            "é",
            "#",
            "](",
            "[a",
            "<a href=",
            "---",
            "+++",
            "{",
            "%C3",
            "../",
            "@/",
            "x.md",
            ":",
        ]);
        prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        // 500 cases by default; PROPTEST_CASES=100000 for a long run.
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(500)
        ))]

        #[test]
        fn no_input_makes_the_import_panic(text in pieces()) {
            for engine in [Engine::Hugo, Engine::Zola, Engine::Jekyll] {
                let done = convert(engine, &text, &|_, t| Some(format!("@/{t}")));
                let _ = links::rewrite(&done.body, &|t| links::resolve("/a/b/", t));
            }
            let _ = front::parse(&text);
            let _ = place::normalize(&text);
        }
    }
}
