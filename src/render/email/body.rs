//! One body's HTML (the intro's or an article's) -> as the email shows it, among the others:
//! its ids made unique in the email with a prefix of its own (two articles may share a
//! heading, and each has footnotes), its in-page links leading within the email, its code
//! cut into lines (`code`), its images in formats every mail client shows (`raster`), its
//! task-list boxes as characters (mail clients drop form fields), and each footnote's back
//! link at the end of its text rather than alone on a line.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

use lol_html::html_content::{ContentType, Element};
use lol_html::{RewriteStrSettings, element, rewrite_str};

use super::code::email_code;
use crate::markdown::Restyler;

/// An image shown through its PNG (see `raster`): the PNG's URL and the size shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct EmailImage {
    pub png: String,
    pub width: u32,
    pub height: u32,
}

/// What places a body in its email.
pub(super) struct Place<'a> {
    /// The page's absolute URL: links to an id the body does not have lead there.
    pub page_url: &'a str,
    /// Put before each of the body's ids: `a2-` for the second article.
    pub prefix: &'a str,
    /// The original's absolute URL -> its PNG.
    pub images: &'a BTreeMap<String, EmailImage>,
}

/// The body's HTML as the email shows it.
pub(super) fn email_body(html: &str, restyler: &Restyler, place: &Place) -> String {
    if !html.contains('<') {
        // No element: nothing to rewrite (and a build's keys pass, whose bodies are their
        // keys, skips two HTML rewriter runs per article).
        return html.to_string();
    }
    let html = email_code(restyler, html);
    let html = back_links_inline(&html);
    // Bodies link within themselves: one rewrite takes every `#id` link as leading to the
    // body's own id, and only when one of them does not, it runs again knowing every id.
    match rewrite(&html, None, place) {
        Some(done) if done.linked.is_subset(&done.defined) => done.html,
        Some(done) => rewrite(&html, Some(&done.defined), place).map_or(html, |again| again.html),
        None => html,
    }
}

/// A body rewritten for the email, with the ids it defines and those its links lead to.
struct Rewritten {
    html: String,
    defined: HashSet<String>,
    linked: HashSet<String>,
}

/// The body with its ids prefixed, its links placed (see `in_email`: `known` are the body's
/// ids, or None to take every `#id` as one of them), its task boxes as characters and its
/// images as their PNG.
fn rewrite(html: &str, known: Option<&HashSet<String>>, place: &Place) -> Option<Rewritten> {
    let defined = RefCell::new(HashSet::new());
    let linked = RefCell::new(HashSet::new());
    let prefixed = |name: &'static str| {
        let defined = &defined;
        move |el: &mut Element| {
            if let Some(id) = el.get_attribute(name).filter(|id| !id.is_empty()) {
                el.set_attribute(name, &format!("{}{id}", place.prefix))?;
                defined.borrow_mut().insert(id);
            }
            Ok(())
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[id]", prefixed("id")))
        .append_element_content_handler(element!("a[name]", prefixed("name")))
        .append_element_content_handler(element!("[href]", |el| {
            if let Some(href) = el.get_attribute("href") {
                let is_own = |id: &str| match known {
                    Some(ids) => ids.contains(id),
                    None => {
                        linked.borrow_mut().insert(id.to_string());
                        true
                    }
                };
                el.set_attribute("href", &in_email(&href, is_own, place))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("input[type=checkbox]", |el| {
            let done = el.has_attribute("checked");
            el.replace(if done { "☑" } else { "☐" }, ContentType::Text);
            Ok(())
        }))
        .append_element_content_handler(element!("img[src]", |el| {
            let shown = el.get_attribute("src").and_then(|s| place.images.get(&s));
            if let Some(image) = shown {
                el.set_attribute("src", &image.png)?;
                el.set_attribute("width", &image.width.to_string())?;
                el.set_attribute("height", &image.height.to_string())?;
                el.remove_attribute("srcset");
            }
            Ok(())
        }));
    let html = rewrite_str(html, settings).ok()?;
    Some(Rewritten {
        html,
        defined: defined.into_inner(),
        linked: linked.into_inner(),
    })
}

/// Where a link leads from the email: `#id` to the body's element in the email when the
/// body has it (`is_own`), else to the page's.
fn in_email(href: &str, is_own: impl FnOnce(&str) -> bool, place: &Place) -> String {
    match href.strip_prefix('#') {
        Some(id) if !id.is_empty() && is_own(id) => format!("#{}{id}", place.prefix),
        Some(_) => format!("{}{href}", place.page_url),
        None => href.to_string(),
    }
}

/// Each footnote's back link (`↩`) moved into the note's last paragraph, bound to its last
/// word: after a `<p>`, it would stand alone on a line.
fn back_links_inline(html: &str) -> String {
    const BACK: &str = "class=\"footnote-back\"";
    const AFTER: &str = "</p>\n";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(BACK) {
        let link = rest[..at].rfind("<a ");
        let end = rest[at..].find("</a>").map(|e| at + e + "</a>".len());
        match (link, end) {
            (Some(link), Some(end)) if rest[..link].ends_with(AFTER) => {
                out.push_str(&rest[..link - AFTER.len()]);
                // A no-break space: the arrow never goes to a line of its own.
                out.push('\u{a0}');
                out.push_str(&rest[link..end]);
                out.push_str("</p>");
                rest = &rest[end..];
            }
            _ => {
                out.push_str(&rest[..at + BACK.len()]);
                rest = &rest[at + BACK.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place<'a>(images: &'a BTreeMap<String, EmailImage>) -> Place<'a> {
        Place {
            page_url: "https://g.example/fr/a/",
            prefix: "a2-",
            images,
        }
    }

    #[test]
    fn ids_are_the_articles_own_and_links_to_them_stay_in_the_email() {
        let html = "<h2 id=\"intro\">I</h2><p>Voir <a href=\"#intro\">ici</a>, <a href=\"#ailleurs\">là</a>, <a href=\"#\">rien</a> et <a href=\"https://x.io/#intro\">x</a><sup class=\"footnote-ref\"><a href=\"#a-fn-1\" id=\"a-fn-1-ref\">1</a></sup>.</p>\n<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n<li id=\"a-fn-1\"><p>Note.</p>\n<a href=\"#a-fn-1-ref\" class=\"footnote-back\" role=\"doc-backlink\">↩</a></li>\n</ol>\n</section>\n";
        let images = BTreeMap::new();
        let out = email_body(html, &Restyler::default(), &place(&images));
        assert_eq!(
            out,
            "<h2 id=\"a2-intro\">I</h2><p>Voir <a href=\"#a2-intro\">ici</a>, <a href=\"https://g.example/fr/a/#ailleurs\">là</a>, <a href=\"https://g.example/fr/a/#\">rien</a> et <a href=\"https://x.io/#intro\">x</a><sup class=\"footnote-ref\"><a href=\"#a2-a-fn-1\" id=\"a2-a-fn-1-ref\">1</a></sup>.</p>\n<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n<li id=\"a2-a-fn-1\"><p>Note.\u{a0}<a href=\"#a2-a-fn-1-ref\" class=\"footnote-back\" role=\"doc-backlink\">↩</a></p></li>\n</ol>\n</section>\n"
        );
    }

    #[test]
    fn links_forward_to_the_bodys_own_ids_stay_in_the_email() {
        let html = "<p><a href=\"#fin\">fin</a> <a name=\"haut\"></a></p><h2 id=\"fin\">Fin</h2><p><a href=\"#haut\">haut</a></p>";
        let images = BTreeMap::new();
        let out = email_body(html, &Restyler::default(), &place(&images));
        assert_eq!(
            out,
            "<p><a href=\"#a2-fin\">fin</a> <a name=\"a2-haut\"></a></p><h2 id=\"a2-fin\">Fin</h2><p><a href=\"#a2-haut\">haut</a></p>"
        );
    }

    #[test]
    fn task_boxes_become_characters_and_images_their_png() {
        let mut images = BTreeMap::new();
        let png = EmailImage {
            png: "https://g.example/c.svg.png".into(),
            width: 480,
            height: 340,
        };
        images.insert("https://g.example/c.svg".to_string(), png);
        let html = "<ul><li><input disabled=\"\" type=\"checkbox\"/>\nà faire</li><li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nfait</li></ul><img src=\"https://g.example/c.svg\" alt=\"C\" width=\"9\" srcset=\"x 2x\"><img src=\"https://g.example/d.png\" alt=\"D\">";
        let out = email_body(html, &Restyler::default(), &place(&images));
        assert_eq!(
            out,
            "<ul><li>☐\nà faire</li><li>☑\nfait</li></ul><img src=\"https://g.example/c.svg.png\" alt=\"C\" width=\"480\" height=\"340\"><img src=\"https://g.example/d.png\" alt=\"D\">"
        );
    }

    /// Any mix of the pieces the rewrites look for, cut anywhere: no panic, and the text of
    /// the HTML kept.
    #[test]
    fn any_html_goes_through_without_a_panic() {
        let pieces = [
            "<pre class=\"code\"><code>",
            "</code></pre>",
            "<span style=\"color:#1\">",
            "</span>",
            "\n",
            "\t",
            "  x",
            "é",
            "<a href=\"#n\" class=\"footnote-back\">↩</a>",
            "</p>\n",
            "<p>",
            " id=\"n\"",
            "<li id=\"n\">",
            "<img src=\"https://g.example/c.svg\">",
            "<input type=\"checkbox\">",
            "<",
            ">",
            "\"",
        ];
        let images = BTreeMap::new();
        let restyler = Restyler::default();
        let mut next = crate::test_support::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3_000 {
            let n = (next() % 14) as usize;
            let html: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let out = email_body(&html, &restyler, &place(&images));
            assert_eq!(out.contains('é'), html.contains('é'), "{html:?} -> {out:?}");
        }
    }

    #[test]
    fn a_back_link_after_anything_but_a_paragraph_stays() {
        let html = "<li id=\"n\"><pre>x</pre>\n<a href=\"#r\" class=\"footnote-back\">↩</a></li> class=\"footnote-back\"";
        assert_eq!(back_links_inline(html), html);
    }
}
