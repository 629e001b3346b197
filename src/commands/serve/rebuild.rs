//! Changed paths -> a new build swapped in, and the browsers told: the last build patched
//! when only page texts changed (`patch`), the whole pipeline otherwise; on failure, the
//! last good build is kept and the error shown over its pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Generation, State, patch, reload};
use crate::error::{Diagnostics, Error, Warning};
use crate::render::Target;
use crate::{How, Prepared, load_config, plan, read_site};

impl State {
    /// Rebuilds in memory; swaps the new build in, then tells the browsers to reload.
    pub(super) fn rebuild(&self, changed: &[PathBuf]) {
        let started = Instant::now();
        // The watcher saw these change: their text is read again even if their size and
        // time say otherwise (`cp -p`, `rsync -a`, an edit within the clock's resolution).
        for path in changed {
            self.caches.sources.invalidate(path);
        }
        let patched = self.patch(changed);
        if patched.is_some() && std::env::var_os("GAZETTE_TIMINGS").is_some() {
            eprintln!(
                "timing: patch          {:>7.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        match patched.unwrap_or_else(|| self.prepare_all(changed)) {
            Ok((prepared, warnings)) => {
                if changed.is_empty() {
                    for warning in &warnings {
                        eprintln!("{warning}");
                    }
                }
                self.swap_in(prepared, changed, started);
            }
            Err(error) => self.fail(&error),
        }
    }

    /// Serves `prepared` from now on and tells the browsers.
    fn swap_in(&self, prepared: Prepared, changed: &[PathBuf], started: Instant) {
        let number = self.builds.fetch_add(1, Ordering::Relaxed) + 1;
        let generation = Arc::new(Generation {
            number,
            prepared,
            rendered: Mutex::new(HashMap::new()),
        });
        let previous = self
            .generation
            .write()
            .ok()
            .and_then(|mut current| current.replace(generation));
        if let Ok(mut error) = self.error.write() {
            *error = None;
        }
        let css_only = !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        eprintln!("rebuilt in {} ms", started.elapsed().as_millis());
        let kind = if css_only { "css" } else { "page" };
        self.listeners
            .send(reload::message("reload", Some(number), kind));
        // Freeing a large site takes a while: not before the browsers are told.
        drop(previous);
    }

    /// Keeps serving the last good build, with the error shown over its pages.
    fn fail(&self, error: &Error) {
        let message: Vec<String> = error.flatten().iter().map(|e| e.to_string()).collect();
        let message = message.join("\n");
        let fallback = if self.current().is_some() {
            "still serving the last good build"
        } else {
            "fix it and save: the site will appear"
        };
        eprintln!("{message}\nthe build failed: {fallback}");
        if let Ok(mut current) = self.error.write() {
            *current = Some(message.clone());
        }
        self.listeners
            .send(reload::message("build-error", None, &message));
    }

    /// The last build with the edited pages updated, when the edit moves no page and the
    /// last build succeeded (after a failure, sources may differ from it in other ways).
    fn patch(&self, changed: &[PathBuf]) -> Option<Result<(Prepared, Vec<Warning>), Error>> {
        if changed.is_empty() || self.error().is_some() {
            return None;
        }
        let current = self.current()?;
        let (prepared, diagnostics) =
            patch::patch_bodies(&current.prepared, &self.root, changed, &self.caches)?;
        Some(into_result(prepared, diagnostics))
    }

    /// The whole pipeline, from reading the sources; every body rendered (their mistakes are
    /// reported now), files rendered on demand. Read from the canonical root, so that the
    /// source cache holds paths as the watcher reports them.
    fn prepare_all(&self, changed: &[PathBuf]) -> Result<(Prepared, Vec<Warning>), Error> {
        let config = load_config(&self.root, Some(&self.base_url))?;
        let mut diagnostics = Diagnostics::default();
        let site = read_site(
            &config,
            self.options.drafts,
            Some(&self.caches),
            &mut diagnostics,
        );
        let cache = Some(self.caches.bodies.clone());
        let prepared = plan(config, site, How::default(), cache, &mut diagnostics);
        if let Some(prepared) = &prepared {
            prepared.bodies.render_all();
            self.caches.bodies.keep_only(&prepared.bodies.keys());
            let bodies = prepared.bodies.diagnostics();
            diagnostics.errors.extend(bodies.errors);
            diagnostics.warnings.extend(bodies.warnings);
        }
        let (prepared, warnings) = into_result(prepared, diagnostics)?;
        let probed = Instant::now();
        // Template mistakes come with template (or config) edits: probe after those.
        if touches_templates(&self.root, changed) {
            probe_templates(&prepared)?;
        }
        if std::env::var_os("GAZETTE_TIMINGS").is_some() {
            eprintln!(
                "timing: probe          {:>7.1} ms",
                probed.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok((prepared, warnings))
    }
}

/// What a run of the pipeline gave: the site and its warnings, or every error found.
fn into_result(
    prepared: Option<Prepared>,
    mut diagnostics: Diagnostics,
) -> Result<(Prepared, Vec<Warning>), Error> {
    diagnostics.stop_on_errors()?;
    let warnings = diagnostics.sorted_warnings();
    // A stage that stops the pipeline always says why.
    prepared
        .map(|p| (p, warnings))
        .ok_or(Error::Many(Vec::new()))
}

/// Renders one file of each kind (each page template, each feed, an email) and drops them:
/// `serve` renders on demand, and this finds template errors at rebuild time.
fn probe_templates(prepared: &Prepared) -> Result<(), Error> {
    let plan = &prepared.inputs.plan;
    let mut seen = std::collections::HashSet::new();
    let mut probes = Vec::new();
    for (index, (_, target)) in plan.targets.iter().enumerate() {
        let kind = match target {
            Target::Page(job) => plan.jobs[*job].template.clone(),
            Target::Feed { kind, .. } => format!("{kind:?}"),
            Target::Email { text, .. } => format!("email {text}"),
            Target::Sitemap
            | Target::Robots
            | Target::Copy(_)
            | Target::Raster(_)
            | Target::Redirect(_)
            | Target::Redirects
            | Target::Image(_) => continue,
        };
        if seen.insert(kind) {
            probes.push(index);
        }
    }
    crate::render::render_many(&prepared.inputs, &probes, |_| Ok(()))
}

/// Whether a rebuild follows a change to templates, interface strings or the config (or is
/// the first build).
fn touches_templates(root: &Path, changed: &[PathBuf]) -> bool {
    changed.is_empty()
        || changed.iter().any(|path| {
            let relative = path.strip_prefix(root).unwrap_or(path);
            relative.starts_with("themes")
                || relative.starts_with("templates")
                || relative == Path::new("config.toml")
        })
}
