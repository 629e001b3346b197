//! gazette: a static-site generator for bilingual (French/English) tech newsletters.
//!
//! A build is a one-way pipeline, one module per stage, each opening with its input and
//! output, in the order data flows:
//!
//! ```text
//! config.toml -> config      Config
//! content/    -> source      Sources (texts read, classified)
//!             -> frontmatter Document (front matter parsed, body)
//!             -> site        Site (URLs, translations, editions)
//!             -> bodies      Rendered Markdown, on demand (markdown/, typography)
//! themes/     -> render      Theme, SitePlan (every output file), keys, bytes
//!             -> output      the output folder, changed where its files change
//! ```
//!
//! `build` below reads as that pipeline. The other commands (`check`, `new`, `serve`,
//! `init`, `import`) live in `commands/` and reuse its stages.

mod bodies;
pub mod commands;
mod config;
mod error;
mod frontmatter;
mod key;
mod lang;
mod markdown;
mod output;
mod render;
mod site;
mod source;
mod typography;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod test_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bodies::{Bodies, BodyCache};
use config::Config;
pub use error::{Diagnostics, Error, Location, Result, Warning};
use key::Key;

/// What the command line asks of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `ROOT/output`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Replace an output folder gazette did not create, and render every file again.
    pub force: bool,
    /// Write links relative to each page (ending in index.html): output/ then works from disk.
    pub relative: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    /// HTML files of the site, and all its files.
    pub pages: usize,
    pub files: usize,
    /// Files written and deleted by this build: none when the output was up to date.
    pub written: usize,
    pub deleted: usize,
    pub warnings: Vec<Warning>,
}

/// `gazette build`: renders the files whose sources changed since the last build into the
/// output folder, and deletes those the site no longer has. Reports every error found; a
/// failed build leaves the output exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    // config.toml, with the command line's overrides.
    let config = load_config(&options.root, options.base_url.as_deref())?;
    // The output folder: checked, locked, and recovered from any killed build.
    let output = output::Output::open(&config.root, &options.output_dir(), options.force)?;
    // content/ read, front matter parsed, pages placed, templates loaded, files planned.
    let mut diagnostics = Diagnostics::default();
    let site = read_site(&config, options.drafts, None, &mut diagnostics);
    let how = How {
        relative: options.relative,
        free_markdown: true,
    };
    let prepared = plan(config, site, how, None, &mut diagnostics);
    diagnostics.stop_on_errors()?;
    let Prepared { inputs, bodies } = prepared.ok_or(Error::Many(Vec::new()))?;
    // What each file is made from; the files whose inputs changed are rendered and staged,
    // their Markdown bodies rendered as they are needed.
    let files = render::Files::of(&inputs, global_key(&inputs, options));
    bodies.let_go_after(&files.body_reads);
    output::check_paths(&files.paths)?;
    let stale = match options.force {
        true => (0..files.paths.len()).collect(),
        false => output.stale(&files.paths, &files.keys),
    };
    render::render_many(&inputs, &stale, |file| {
        output.stage(&file, files.key(&file.path))
    })?;
    // Every body's mistakes: those rendered now, and those of the last build for the others.
    let (body_diagnostics, bodies) = bodies.settle(&output::stored_bodies(output.previous()))?;
    diagnostics.errors.extend(body_diagnostics.errors);
    diagnostics.warnings.extend(body_diagnostics.warnings);
    diagnostics.stop_on_errors()?;
    // The staged files put in place and the old ones deleted, all or nothing.
    let report = output::report(files.pages(), &diagnostics.sorted_warnings(), bodies);
    let written = output.commit(&files.paths, &files.keys, report)?;
    Ok(BuildReport {
        output: options.output_dir(),
        pages: files.pages(),
        files: files.paths.len(),
        written: written.written,
        deleted: written.deleted,
        warnings: diagnostics.sorted_warnings(),
    })
}

/// `config.toml` at `root`, with `base_url` replaced when given.
fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config> {
    let config = Config::load(root)?;
    match base_url {
        Some(url) => config.with_base_url(url),
        None => Ok(config),
    }
}

/// What every file of a build depends on besides its own values: gazette itself, the
/// options, the configuration and the templates.
fn global_key(inputs: &render::Inputs, options: &BuildOptions) -> Key {
    let config = &inputs.config;
    let flags = [u8::from(options.drafts), u8::from(options.relative)];
    key::key_of(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        &executable_stamp(),
        &flags,
        config.base_url.as_bytes(),
        config.text.as_bytes(),
        &inputs.theme.key.to_le_bytes(),
    ])
}

/// The running program's size and time: a rebuilt gazette may render differently with the
/// same version number.
fn executable_stamp() -> Vec<u8> {
    let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    else {
        return Vec::new();
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    [meta.len().to_le_bytes().as_slice(), &modified.to_le_bytes()].concat()
}

/// What `serve` keeps between rebuilds: file texts, parsed front matter, rendered bodies.
#[derive(Default)]
pub(crate) struct Caches {
    pub sources: source::Cache,
    pub documents: frontmatter::Cache,
    pub bodies: Arc<BodyCache>,
}

/// Stages source -> frontmatter -> site: the site read, parsed and assembled. Errors are
/// recorded and the stages go on, so that one run reports every problem.
fn read_site(
    config: &Config,
    drafts: bool,
    caches: Option<&Caches>,
    diagnostics: &mut Diagnostics,
) -> site::Site {
    let sources = source::read_content(config, caches.map(|c| &c.sources));
    diagnostics.files = sources.files.len() + sources.errors.len();
    diagnostics.errors.extend(sources.errors);
    diagnostics.warnings.extend(sources.warnings);
    let documents = frontmatter::parse_all(sources.files, caches.map(|c| &c.documents));
    let documents = documents
        .into_iter()
        .filter_map(|d| diagnostics.take(d))
        .collect();
    let (site, warnings, errors) = site::assemble(config, documents, sources.assets, drafts);
    diagnostics.warnings.extend(warnings);
    diagnostics.errors.extend(errors);
    site
}

/// A site ready to render any of its files: its inputs, and its bodies (rendered on demand).
pub(crate) struct Prepared {
    pub inputs: render::Inputs,
    pub bodies: Arc<Bodies>,
}

/// How a site is rendered.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct How {
    /// `build --relative`: links relative to each page.
    pub relative: bool,
    /// A build: each page's Markdown is freed once its body is rendered.
    pub free_markdown: bool,
}

/// Stages theme and plan: what rendering needs.
fn plan(
    config: Config,
    mut site: site::Site,
    how: How,
    body_cache: Option<Arc<BodyCache>>,
    diagnostics: &mut Diagnostics,
) -> Option<Prepared> {
    let theme_files = diagnostics.take(render::ThemeFiles::find(&config))?;
    // Both are tried, so that a template mistake does not hide a static file's.
    let theme = render::Theme::load(&config, &theme_files, site::link_table(&config, &site));
    let theme = diagnostics.take(theme);
    let plan = diagnostics.take(render::SitePlan::new(&config, &site, &theme_files));
    let ((theme, warnings), plan) = (theme?, plan?);
    diagnostics.warnings.extend(warnings);
    let markdown = how.free_markdown.then(|| site.take_markdown());
    let (config, site) = (Arc::new(config), Arc::new(site));
    let bodies = Arc::new(Bodies::new(
        config.clone(),
        site.clone(),
        markdown,
        body_cache,
        theme.ids(),
    ));
    let inputs = render::Inputs::new(
        config,
        site,
        Arc::new(theme),
        Arc::new(plan),
        bodies.clone(),
        how.relative,
    );
    Some(Prepared { inputs, bodies })
}
