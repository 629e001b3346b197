//! `gazette import hugo|zola|jekyll SOURCE --into DIR`: an existing site -> a gazette site
//! whose old URLs all still answer, and a `Report` of what could not be converted.
//!
//! ```text
//! SOURCE -> hugo | zola | jekyll   model::Site (pages, front matter mapped, old URLs)
//!        -> place                  Plan (files, gazette URLs, aliases, redirects)
//!        -> body                   bodies converted (shortcodes, links)
//!        -> write                  DIR (config.toml, content/, static/)
//!        -> check                  what `gazette check` says of DIR, in the report
//! ```

mod body;
mod front;
mod hugo;
mod jekyll;
mod links;
mod mapping;
mod model;
mod place;
mod report;
mod shortcodes;
mod walk;
mod write;
mod zola;

use std::path::Path;

pub use report::{Note, Report};

use crate::error::Result;

/// Files gazette writes itself at the root of every site: a static file there would collide.
const RESERVED: &[&str] = &["robots.txt", "sitemap.xml", "404.html", "_redirects"];

fn drop_reserved_statics(site: &mut model::Site, report: &mut Report) {
    site.statics.retain(|(_, relative)| {
        let reserved = RESERVED.contains(&relative.as_str());
        if reserved {
            report.site_note(format!(
                "{relative}: gazette writes its own at the root of the site; the old one is \
                 not copied (put what it must say in the theme)"
            ));
        }
        !reserved
    });
}

/// The generator the old site was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    Hugo,
    Zola,
    Jekyll,
}

/// Imports the `engine` site at `source` into `into` (new or empty), then checks the result.
/// An error means nothing usable was written; problems in single files are in the report.
pub fn import(engine: Engine, source: &Path, into: &Path) -> Result<Report> {
    write::check_destination(into)?;
    let mut site = match engine {
        Engine::Hugo => hugo::read(source)?,
        Engine::Zola => zola::read(source)?,
        Engine::Jekyll => jekyll::read(source)?,
    };
    let mut report = std::mem::take(&mut site.report);
    drop_reserved_statics(&mut site, &mut report);
    for page in &site.pages {
        for key in &page.front.unmapped {
            report.kept_key(key, &page.source);
        }
        for problem in &page.front.problems {
            report.note(&page.source, None, problem.clone());
        }
    }
    let mut plan = place::place(&site, &mut report);
    body::convert_all(engine, &site, &mut plan, &mut report);
    write::write(&site, &plan, into, &mut report)?;
    let checked = crate::commands::check::check(into, false);
    report.check_errors = checked.errors.iter().map(ToString::to_string).collect();
    report.check_warnings = checked.warnings.len();
    report.notes.sort();
    Ok(report)
}
