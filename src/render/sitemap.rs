//! Planned pages (`Job`s) -> `/sitemap.xml`: every page with its last change, and the same
//! `xhtml:link` alternates as the page itself (`SitePlan::alternates`).

use std::fmt::Write;

use super::html::escape_xml;
use super::plan::SitePlan;
use crate::config::Config;

pub(crate) fn sitemap(config: &Config, plan: &SitePlan) -> String {
    let jobs = &plan.jobs;
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
        for (lang, path) in plan.alternates(config, job) {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape_xml(&lang),
                escape_xml(&config.absolute(&path))
            );
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
