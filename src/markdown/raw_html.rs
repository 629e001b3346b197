//! Raw HTML written in Markdown -> the same HTML with the URLs of its links and images
//! (`href`, `src`, `srcset`, `poster`) resolved as Markdown's are: `@/` links, and relative
//! and root-relative URLs made absolute, so that they stay right in feeds, in the email and
//! under a base URL with a path. lol_html, a streaming rewriter, leaves the rest byte for byte.

use std::cell::RefCell;

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// `html` with each URL attribute's value replaced by `resolve(value)` (values as written,
/// entities and all). HTML lol_html cannot read is given back as it was.
pub(super) fn rewrite_urls(html: &str, resolve: &mut dyn FnMut(&str) -> String) -> String {
    if !["href", "src", "poster"]
        .iter()
        .any(|name| html.contains(name))
    {
        return html.to_string();
    }
    let resolve = RefCell::new(resolve);
    let rewrite = |name: &'static str| {
        let resolve = &resolve;
        move |el: &mut lol_html::html_content::Element| {
            if let Some(value) = el.get_attribute(name) {
                let new = if name == "srcset" {
                    srcset(&value, &mut **resolve.borrow_mut())
                } else {
                    (resolve.borrow_mut())(&value)
                };
                el.set_attribute(name, &new)?;
            }
            Ok(())
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[href]", rewrite("href")))
        .append_element_content_handler(element!("[src]", rewrite("src")))
        .append_element_content_handler(element!("[srcset]", rewrite("srcset")))
        .append_element_content_handler(element!("[poster]", rewrite("poster")));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// `a.png 1x, b.png 2x`: each candidate's URL resolved, its descriptor kept.
fn srcset(value: &str, resolve: &mut dyn FnMut(&str) -> String) -> String {
    value
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            match candidate.split_once(char::is_whitespace) {
                Some((url, descriptor)) => format!("{} {}", resolve(url), descriptor.trim()),
                None => resolve(candidate),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn absolute(url: &str) -> String {
        format!("https://g.example/{url}")
    }

    #[test]
    fn only_url_attributes_change() {
        let html = "<a href=\"x/\" title=\"x/\">x/</a><img src=\"p.svg\" alt=\"p\" srcset=\"p.png 1x, q.png 2x\">";
        assert_eq!(
            rewrite_urls(html, &mut absolute),
            "<a href=\"https://g.example/x/\" title=\"x/\">x/</a><img src=\"https://g.example/p.svg\" alt=\"p\" srcset=\"https://g.example/p.png 1x, https://g.example/q.png 2x\">"
        );
        // A fragment of a tag (a link's start alone) and text without URLs.
        assert_eq!(
            rewrite_urls("<a href='/y'>", &mut absolute),
            "<a href=\"https://g.example//y\">"
        );
        assert_eq!(rewrite_urls("<b>bold</b>", &mut absolute), "<b>bold</b>");
    }
}
