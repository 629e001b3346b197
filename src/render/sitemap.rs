//! Rendered pages (`Job`s) -> `/sitemap.xml`: every page with its last change, and for
//! translated pages an `xhtml:link` to every language version plus `x-default`.

use std::fmt::Write;

use super::html::escape_xml;
use super::plan::SitePlan;
use crate::config::Config;

pub(crate) fn sitemap(config: &Config, plan: &SitePlan) -> String {
    let (jobs, routes) = (&plan.jobs, &plan.routes);
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
