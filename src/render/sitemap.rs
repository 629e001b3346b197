//! Rendered pages (`Job`s) -> `/sitemap.xml`: every page with its last change, and for
//! translated pages an `xhtml:link` to every language version plus `x-default`.

use std::collections::HashMap;
use std::fmt::Write;

use super::plan::Job;
use crate::config::Config;

pub fn sitemap(
    config: &Config,
    jobs: &[Job],
    routes: &HashMap<String, Vec<(String, String)>>,
) -> String {
    let newest = jobs.iter().filter_map(|j| j.lastmod).max();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for job in jobs.iter().filter(|j| j.listed && j.path != "/404.html") {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            escape_xml(&config.absolute(&job.path))
        );
        // Pages without a date of their own (about, the language chooser) change with the site.
        if let Some(date) = job.lastmod.or(newest) {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", date.format("%Y-%m-%d"));
        }
        let versions = job.route.as_deref().and_then(|r| routes.get(r));
        if let Some(versions) = versions.filter(|v| v.len() > 1) {
            for language in &config.languages {
                if let Some((lang, path)) = versions.iter().find(|(l, _)| *l == language.code) {
                    let _ = writeln!(
                        xml,
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape_xml(lang),
                        escape_xml(&config.absolute(path))
                    );
                }
            }
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape_xml(&config.absolute("/"))
            );
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Text for XML: characters XML cannot carry dropped, markup characters escaped (the HTML
/// escapes are XML's too).
pub fn escape_xml(text: &str) -> String {
    crate::markdown::escape_html(&strip_invalid_xml(text.to_string()))
}

/// Characters XML 1.0 allows; anything else (control characters) is dropped.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Removes characters XML cannot carry from a whole document (templates escape markup, but a
/// control character pasted into a title would still make the feed invalid).
pub fn strip_invalid_xml(text: String) -> String {
    if text.chars().all(is_xml_char) {
        text
    } else {
        text.chars().filter(|c| is_xml_char(*c)).collect()
    }
}
