//! A body's HTML -> the HTML web pages show (feeds and the email edition take the body as
//! it is): tables in a box that scrolls sideways and that the keyboard reaches (a labelled
//! region), code blocks the keyboard can scroll, footnote back-links with a name, and
//! images with their width and height, and their resized variants (`images`) in `srcset`.

use std::cell::Cell;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

use super::images::Images;

/// What the rewrite needs: the words of the page's language and the site's images.
pub(crate) struct Web<'a> {
    /// "Table": the scroll box of table n is named "Table n".
    pub table_label: &'a str,
    /// The name of a footnote's link back to the text.
    pub back_label: &'a str,
    pub images: &'a Images,
}

/// How wide an image of the text shows: the text's measure (40rem), or the window.
const SIZES: &str = "(min-width: 43rem) 40rem, 100vw";

/// `html` as web pages show it (see the module's doc). HTML lol_html cannot read is given back
/// as it was.
pub(crate) fn for_web(html: &str, web: &Web) -> String {
    if !html.contains('<') {
        return html.to_string();
    }
    let tables = Cell::new(0);
    let table = |el: &mut Element| {
        tables.set(tables.get() + 1);
        let label = crate::markdown::escape_html(&format!("{} {}", web.table_label, tables.get()));
        el.before(
            &format!(
                "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">"
            ),
            lol_html::html_content::ContentType::Html,
        );
        el.after("</div>", lol_html::html_content::ContentType::Html);
        Ok(())
    };
    let pre = |el: &mut Element| {
        if el.get_attribute("tabindex").is_none() {
            el.set_attribute("tabindex", "0")?;
        }
        Ok(())
    };
    let back = |el: &mut Element| {
        if el.get_attribute("aria-label").is_none() {
            el.set_attribute("aria-label", web.back_label)?;
        }
        Ok(())
    };
    let image = |el: &mut Element| {
        responsive(el, web.images);
        Ok(())
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("table", table))
        .append_element_content_handler(element!("pre", pre))
        .append_element_content_handler(element!("a.footnote-back", back))
        .append_element_content_handler(element!("img[src]", image));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// An image of the site gets its size, and its variants when it has some; every image of
/// the text loads when it comes near the screen.
fn responsive(el: &mut Element, images: &Images) {
    if el.get_attribute("loading").is_none() {
        let _ = el.set_attribute("loading", "lazy");
    }
    let Some(src) = el.get_attribute("src") else {
        return;
    };
    let Some(info) = images.by_url.get(&src) else {
        return;
    };
    if el.get_attribute("width").is_none() && el.get_attribute("height").is_none() {
        let _ = el.set_attribute("width", &info.width.to_string());
        let _ = el.set_attribute("height", &info.height.to_string());
    }
    if let Some(srcset) = info.srcset()
        && el.get_attribute("srcset").is_none()
    {
        let _ = el.set_attribute("src", info.src(&src));
        let _ = el.set_attribute("srcset", &srcset);
        let _ = el.set_attribute("sizes", SIZES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::images::ImageInfo;

    fn web(images: &Images) -> Web<'_> {
        Web {
            table_label: "Tableau",
            back_label: "Retour au texte",
            images,
        }
    }

    #[test]
    fn tables_scroll_in_a_named_region_and_code_is_reachable() {
        let images = Images::default();
        let html = "<table><tr><td>a</td></tr></table>\n<pre class=\"code\"><code>x</code></pre><table></table><a href=\"#n-ref\" class=\"footnote-back\">↩</a>";
        let out = for_web(html, &web(&images));
        assert_eq!(
            out,
            "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Tableau 1\"><table><tr><td>a</td></tr></table></div>\n<pre class=\"code\" tabindex=\"0\"><code>x</code></pre><div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Tableau 2\"><table></table></div><a href=\"#n-ref\" class=\"footnote-back\" aria-label=\"Retour au texte\">↩</a>"
        );
        assert_eq!(for_web("no markup", &web(&images)), "no markup");
    }

    #[test]
    fn images_get_their_size_and_variants() {
        let mut images = Images::default();
        images.by_url.insert(
            "https://g.example/fr/a/photo.jpg".into(),
            ImageInfo {
                width: 3000,
                height: 2000,
                variants: vec![
                    (480, "https://g.example/fr/a/photo.480w.jpg".into()),
                    (1200, "https://g.example/fr/a/photo.1200w.jpg".into()),
                ],
                original: None,
            },
        );
        images.by_url.insert(
            "https://g.example/fr/a/chart.svg".into(),
            ImageInfo {
                width: 360,
                height: 300,
                variants: Vec::new(),
                original: None,
            },
        );
        let out = for_web(
            "<img src=\"https://g.example/fr/a/photo.jpg\" alt=\"A\"><img src=\"https://g.example/fr/a/chart.svg\" alt=\"C\"><img src=\"https://elsewhere.example/x.png\" alt=\"X\">",
            &web(&images),
        );
        assert_eq!(
            out,
            "<img src=\"https://g.example/fr/a/photo.1200w.jpg\" alt=\"A\" loading=\"lazy\" width=\"3000\" height=\"2000\" srcset=\"https://g.example/fr/a/photo.480w.jpg 480w, https://g.example/fr/a/photo.1200w.jpg 1200w\" sizes=\"(min-width: 43rem) 40rem, 100vw\">\
             <img src=\"https://g.example/fr/a/chart.svg\" alt=\"C\" loading=\"lazy\" width=\"360\" height=\"300\">\
             <img src=\"https://elsewhere.example/x.png\" alt=\"X\" loading=\"lazy\">"
        );
    }
}
