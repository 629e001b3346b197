//! gazette: a static-site generator for bilingual (French/English) tech newsletters.
//!
//! The build is a one-way pipeline, one module per stage:
//! config -> source -> frontmatter -> site -> bodies (markdown) -> render (theme) -> write.

pub mod bodies;
pub mod config;
pub mod error;
pub mod frontmatter;
pub mod lang;
pub mod markdown;
pub mod render;
pub mod site;
pub mod source;
pub mod typography;
pub mod write;

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
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Warning>,
}

/// A built site, in memory: its files and what was said about it.
pub struct Built {
    pub config: Config,
    pub files: Vec<render::OutputFile>,
    pub pages: usize,
    pub warnings: Vec<Warning>,
}

/// Loads the config, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    Ok(config)
}

/// Runs the whole pipeline in memory.
pub fn render_site(config: Config, drafts: bool) -> Result<Built> {
    let sources = source::read_content(&config)?;
    let mut warnings = sources.warnings;
    let parsed: Vec<Result<(source::SourceFile, frontmatter::Document)>> = sources
        .files
        .into_par_iter()
        .map(|file| {
            let needs_date = matches!(file.kind, source::SourceKind::Article { .. });
            let doc = frontmatter::parse(&file.text, &file.path, needs_date)?;
            Ok((file, doc))
        })
        .collect();
    let (docs, errors): (Vec<_>, Vec<_>) = parsed.into_iter().partition(Result::is_ok);
    if let Some(e) = Error::from_many(errors.into_iter().filter_map(Result::err).collect()) {
        return Err(e);
    }
    let docs = docs.into_iter().filter_map(Result::ok).collect();
    let (site, site_warnings) = site::assemble(&config, docs, sources.assets, drafts)?;
    warnings.extend(site_warnings);
    let (bodies, body_warnings) = bodies::render_all(&config, &site)?;
    warnings.extend(body_warnings);
    let links = site
        .pages
        .iter()
        .map(|p| ((p.lang.clone(), p.key.clone()), config.absolute(&p.path)))
        .collect();
    let (theme, theme_warnings) = render::Theme::load(&config, links)?;
    warnings.extend(theme_warnings);
    let files = render::render_site(&config, &site, &bodies, &theme)?;
    warnings.sort();
    Ok(Built {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        config,
        files,
        warnings,
    })
}

/// `gazette build`: renders the site and replaces the output folder with it.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let config = load_config(options)?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("output"));
    write::check_output_dir(&options.root, &output, options.force)?;
    let built = render_site(config, options.drafts)?;
    let files = write::write_site(&output, &built.files)?;
    Ok(BuildReport {
        output,
        pages: built.pages,
        files,
        warnings: built.warnings,
    })
}
