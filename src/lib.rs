//! gazette: a static-site generator for bilingual (French/English) tech newsletters.
//!
//! The build is a one-way pipeline, one module per stage:
//! config -> source -> frontmatter -> site -> bodies (markdown) -> render (theme) -> write.

pub mod bodies;
pub mod check;
pub mod config;
pub mod error;
pub mod fingerprint;
pub mod frontmatter;
pub mod lang;
pub mod markdown;
pub mod patch;
pub mod placement;
pub mod relative;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod typography;
pub mod watch;
pub mod write;

#[cfg(test)]
mod test_support;

use std::path::PathBuf;

use rayon::prelude::*;

pub use config::Config;
pub use error::{Error, Result, Warning};

/// What the command line asks of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `ROOT/output`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Replace an output folder gazette did not create.
    pub force: bool,
    /// Write links relative to each page (ending in index.html): output/ then works from disk.
    pub relative: bool,
    /// Leave deleting the replaced output to this program run again in the background
    /// (`gazette build` does), instead of deleting it before returning.
    pub background_cleanup: Option<PathBuf>,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Warning>,
    /// The output was already built from these very inputs: nothing was written.
    pub up_to_date: bool,
}

/// A built site, in memory: its files and what was said about it.
pub struct Built {
    pub config: Config,
    pub files: Vec<render::OutputFile>,
    pub pages: usize,
    pub warnings: Vec<Warning>,
    pub site: std::sync::Arc<site::Site>,
    pub bodies: Vec<std::sync::Arc<markdown::Rendered>>,
}

/// Loads the config, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::Config {
                location: error::Location::file("--base-url"),
                message: format!(
                    "\"{base_url}\" must be an absolute http(s) URL, e.g. https://preview.example"
                ),
            });
        }
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    Ok(config)
}

/// Errors and warnings found by a run of the pipeline.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Error>,
    pub warnings: Vec<Warning>,
    /// Markdown files read.
    pub files: usize,
}

impl Diagnostics {
    /// What a run of the pipeline gave: `value` and the warnings, or every error found.
    pub fn into_result<T>(self, value: Option<T>) -> Result<(T, Vec<Warning>)> {
        match (Error::from_many(self.errors), value) {
            (Some(e), _) => Err(e),
            (None, Some(value)) => Ok((value, self.warnings)),
            // A stage that stops the pipeline always says why.
            (None, None) => Err(Error::Many(Vec::new())),
        }
    }
}

/// A site read, parsed and planned, ready to render any of its files.
pub struct Prepared {
    pub config: Config,
    /// Shared with the builds `serve` patches from this one.
    pub site: std::sync::Arc<site::Site>,
    pub bodies: Vec<std::sync::Arc<markdown::Rendered>>,
    pub theme: std::sync::Arc<render::Theme>,
    pub plan: render::SitePlan,
}

impl Prepared {
    pub fn inputs(&self) -> render::Inputs<'_> {
        render::Inputs {
            config: &self.config,
            site: &self.site,
            bodies: &self.bodies,
            theme: &self.theme,
        }
    }

    /// Renders the file at `path` (relative to the output folder), if the site has one.
    pub fn render(&self, path: &str) -> Option<Result<render::Content>> {
        let &index = self.plan.index.get(path)?;
        Some(render::render_target(
            &self.inputs(),
            &self.plan,
            &self.plan.targets[index].1,
        ))
    }

    /// Renders one file of each kind (each page template, each feed, an email) and drops
    /// them: `serve` renders on demand, and this finds template errors at rebuild time.
    pub fn probe_templates(&self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        let mut probes = Vec::new();
        for (path, target) in &self.plan.targets {
            let kind = match target {
                render::Target::Page(job) => self.plan.jobs[*job].template.clone(),
                render::Target::Feed { kind, .. } => format!("{kind:?}"),
                render::Target::Email { text, .. } => format!("email {text}"),
                render::Target::Sitemap | render::Target::Robots | render::Target::Copy(_) => {
                    continue;
                }
            };
            if seen.insert(kind) {
                probes.push(path.as_str());
            }
        }
        probes
            .par_iter()
            .try_for_each(|path| match self.render(path) {
                Some(Err(e)) => Err(e),
                _ => Ok(()),
            })
    }

    pub fn render_all(&self) -> Result<Vec<render::OutputFile>> {
        render::render_all(&self.inputs(), &self.plan)
    }
}

/// What `serve` keeps between rebuilds: file texts and rendered Markdown.
#[derive(Default)]
pub struct Caches {
    pub sources: source::Cache,
    pub documents: DocumentCache,
    pub bodies: bodies::Cache,
}

/// Parsed front matter by file, reused while the file's text is the same (shared) text.
#[derive(Default)]
pub struct DocumentCache {
    documents: std::sync::Mutex<
        std::collections::HashMap<std::ffi::OsString, (std::sync::Arc<str>, frontmatter::Document)>,
    >,
}

impl DocumentCache {
    fn parse(&self, file: &source::SourceFile, needs_date: bool) -> Result<frontmatter::Document> {
        if let Some((text, doc)) = self
            .documents
            .lock()
            .ok()
            .and_then(|d| d.get(file.path.as_os_str()).cloned())
        {
            if std::sync::Arc::ptr_eq(&text, &file.text) {
                return Ok(doc);
            }
        }
        let doc = frontmatter::parse(&file.text, &file.path, needs_date)?;
        if let Ok(mut documents) = self.documents.lock() {
            documents.insert(
                file.path.as_os_str().to_owned(),
                (file.text.clone(), doc.clone()),
            );
        }
        Ok(doc)
    }
}

/// Reads, parses and plans the site, going on past errors as far as it can so that one run
/// reports every problem. `caches` keep texts and rendered Markdown between runs (`serve`).
pub fn prepare(
    config: Config,
    drafts: bool,
    caches: Option<&Caches>,
) -> (Option<Prepared>, Diagnostics) {
    let mut clock = Stopwatch::new();
    let sources = source::read_content(&config, caches.map(|c| &c.sources));
    clock.lap("read");
    prepare_sources(config, drafts, caches, sources, true)
}

/// `prepare`, from sources already read.
/// `keep_markdown` false (a build) frees each page's Markdown once its body is rendered.
fn prepare_sources(
    config: Config,
    drafts: bool,
    caches: Option<&Caches>,
    sources: source::Sources,
    keep_markdown: bool,
) -> (Option<Prepared>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut clock = Stopwatch::new();
    diagnostics.files = sources.files.len() + sources.errors.len();
    diagnostics.errors.extend(sources.errors);
    diagnostics.warnings.extend(sources.warnings);
    let parsed: Vec<Result<(source::SourceFile, frontmatter::Document)>> = sources
        .files
        .into_par_iter()
        .map(|file| {
            let needs_date = matches!(file.kind, source::SourceKind::Article { .. });
            let doc = match caches {
                Some(caches) => caches.documents.parse(&file, needs_date)?,
                None => frontmatter::parse(&file.text, &file.path, needs_date)?,
            };
            Ok((file, doc))
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(doc) => docs.push(doc),
            Err(e) => diagnostics.errors.push(e),
        }
    }
    clock.lap("front matter");
    let (mut site, warnings, errors) = site::assemble(&config, docs, sources.assets, drafts);
    clock.lap("assemble");
    diagnostics.warnings.extend(warnings);
    diagnostics.errors.extend(errors);
    let markdown = (!keep_markdown).then(|| site.take_markdown());
    // The templates and the table of `@/` links need no rendered body: made meanwhile.
    let ((bodies, warnings, errors), loaded) = rayon::join(
        || bodies::render_all(&config, &site, caches.map(|c| &c.bodies), markdown),
        || render::Theme::load(&config, link_table(&config, &site)),
    );
    clock.lap("markdown");
    diagnostics.warnings.extend(warnings);
    diagnostics.errors.extend(errors);
    let planned = loaded.and_then(|(theme, warnings)| {
        diagnostics.warnings.extend(warnings);
        let inputs = render::Inputs {
            config: &config,
            site: &site,
            bodies: &bodies,
            theme: &theme,
        };
        let plan = render::SitePlan::new(&inputs)?;
        Ok((theme, plan))
    });
    clock.lap("plan");
    diagnostics.warnings.sort();
    diagnostics.warnings.dedup();
    match planned {
        Ok((theme, plan)) => (
            Some(Prepared {
                config,
                site: std::sync::Arc::new(site),
                bodies,
                theme: std::sync::Arc::new(theme),
                plan,
            }),
            diagnostics,
        ),
        Err(e) => {
            diagnostics.errors.push(e);
            (None, diagnostics)
        }
    }
}

/// What `url(path="@/…")` gives in each language: the same answer as a Markdown `@/` link,
/// translations and fallbacks included.
fn link_table(config: &Config, site: &site::Site) -> render::theme::LinkTable {
    site.pages
        .iter()
        .flat_map(|p| config.language_codes().map(move |lang| (lang, p)))
        .filter_map(|(lang, p)| {
            let url = bodies::resolve_link(config, site, lang, &format!("{}.md", p.key)).ok()?;
            Some(((lang.to_string(), p.key.clone()), url))
        })
        .collect()
}

/// Runs the whole pipeline in memory, going on past errors as far as it can so that one run
/// reports every problem. Gives the site's files only if every stage could run.
pub fn analyse(config: Config, drafts: bool) -> (Option<Built>, Diagnostics) {
    let (prepared, mut diagnostics) = prepare(config, drafts, None);
    let Some(prepared) = prepared else {
        return (None, diagnostics);
    };
    let mut clock = Stopwatch::new();
    let files = prepared.render_all();
    clock.lap("render");
    match files {
        Ok(files) => {
            let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
            let Prepared {
                config,
                site,
                bodies,
                ..
            } = prepared;
            let warnings = diagnostics.warnings.clone();
            (
                Some(Built {
                    config,
                    files,
                    pages,
                    warnings,
                    site,
                    bodies,
                }),
                diagnostics,
            )
        }
        Err(e) => {
            diagnostics.errors.push(e);
            (None, diagnostics)
        }
    }
}

/// Prints how long each stage took when `GAZETTE_TIMINGS` is set (for profiling).
struct Stopwatch {
    last: Option<std::time::Instant>,
}

impl Stopwatch {
    fn new() -> Self {
        Stopwatch {
            last: std::env::var_os("GAZETTE_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            eprintln!(
                "timing: {stage:<14} {:>7.1} ms",
                last.elapsed().as_secs_f64() * 1000.0
            );
            self.last = Some(std::time::Instant::now());
        }
    }
}

/// `gazette build`: renders the site and replaces the output folder with it. Each file is
/// written as soon as it is rendered, into a new folder swapped in only when all succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let config = load_config(options)?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("output"));
    write::check_output_dir(&options.root, &output, options.force)?;
    let mut clock = Stopwatch::new();
    let sources = source::read_content(&config, None);
    let inputs = fingerprint::inputs(
        &config,
        &fingerprint::Options {
            drafts: options.drafts,
            relative: options.relative,
        },
        &sources,
    );
    clock.lap("read");
    if !options.force && sources.errors.is_empty() {
        if let Some(stamp) = fingerprint::up_to_date(&output, &inputs) {
            clock.lap("compare");
            return Ok(BuildReport {
                output,
                pages: stamp.pages,
                files: stamp.reported_files,
                warnings: stamp.warnings.iter().map(Warning::from).collect(),
                up_to_date: true,
            });
        }
    }
    let (prepared, diagnostics) = prepare_sources(config, options.drafts, None, sources, false);
    let (prepared, warnings) = diagnostics.into_result(prepared)?;
    // `prepare_sources` timed its own stages.
    clock = Stopwatch::new();
    let paths = render::output_paths(&prepared.plan);
    let staging = write::Staging::begin(&output, &paths)?;
    let base_url = prepared.config.base_url.clone();
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let written = render::render_each(&prepared.inputs(), &prepared.plan, |mut file| {
        if file.path.ends_with(".html") {
            pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if options.relative {
            relative::make_links_relative(std::slice::from_mut(&mut file), &base_url);
        }
        staging.write(&file)
    });
    clock.lap("render+write");
    let (files, bytes) = staging.written();
    let reported_files = paths.len();
    drop(paths);
    let stamp = fingerprint::Stamp {
        inputs,
        files,
        bytes,
        pages: pages.load(std::sync::atomic::Ordering::Relaxed),
        reported_files,
        warnings: warnings.iter().map(Into::into).collect(),
    };
    match written {
        Ok(()) => staging.commit(&stamp, options.background_cleanup.as_deref())?,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    }
    clock.lap("swap");
    // Freeing the site is millions of deallocations (a fifth of a second at 10,000 pairs): done
    // off this thread, so that the command returns as soon as the output is in place. Where no
    // thread can be made, the refused closure is dropped here, and the site with it.
    let _ = std::thread::Builder::new().spawn(move || drop(prepared));
    Ok(BuildReport {
        output,
        pages: pages.into_inner(),
        files: reported_files,
        warnings,
        up_to_date: false,
    })
}
