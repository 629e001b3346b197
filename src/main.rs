//! The `gazette` command line: parses arguments, runs the library, prints what happened.
//! Exit status: 0 success, 1 site error, 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

mod report;

use report::Reporter;

#[derive(Parser)]
#[command(
    name = "gazette",
    version,
    about = "Build a bilingual newsletter site from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's folder (where config.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override config.toml's base_url (e.g. for a preview deploy).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Replace an output folder that gazette did not create, and render every file again.
        #[arg(long)]
        force: bool,
        /// Make links relative (ending in index.html) so output/ can be opened from disk.
        #[arg(long)]
        relative: bool,
    },
    /// Serve the site from memory over HTTP; with --watch, rebuild and reload on every save.
    Serve {
        /// The site's folder (where config.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Rebuild on changes to content/, themes/, templates/, static/ and config.toml.
        #[arg(long)]
        watch: bool,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback exposes your drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using the system's file events (network mounts, containers).
        #[arg(long)]
        poll: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the site without writing anything: every error and warning at once.
    Check {
        /// The site's folder (where config.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check pages marked draft = true too.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new, working bilingual newsletter into DIR (default: here), which must be empty.
    Init {
        /// The folder to make the site in.
        dir: Option<PathBuf>,
    },
    /// Copy the built-in theme into themes/default/ to customise it (never overwrites).
    Theme {
        /// The site's folder (where config.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a new article in every language (draft, dated today): `gazette new articles/my-title`.
    New {
        /// SECTION/NAME, e.g. articles/numero-special (NAME alone makes a standalone page).
        target: String,
        /// The title (default: from NAME).
        #[arg(long)]
        title: Option<String>,
        /// The site's folder (where config.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Convert a Hugo, Zola or Jekyll site into a new gazette site, keeping its URLs.
    Import {
        /// The generator the site was made with.
        engine: gazette::commands::import::Engine,
        /// The site's folder.
        source: PathBuf,
        /// Where to write the gazette site (a new or empty folder).
        #[arg(long)]
        into: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            force,
            relative,
        } => {
            let options = gazette::BuildOptions {
                root,
                output,
                base_url,
                drafts,
                force,
                relative,
            };
            build(&options)
        }
        Command::Serve {
            root,
            watch,
            port,
            bind,
            drafts,
            poll,
            open,
        } => {
            let options = gazette::commands::serve::ServeOptions {
                root,
                bind,
                port,
                watch,
                drafts,
                poll,
            };
            serve(options, open)
        }
        Command::Check { root, drafts } => check(&root, drafts),
        Command::Init { dir } => init(&dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Theme { root } => theme(&root),
        Command::New {
            target,
            title,
            root,
        } => new(&root, &target, title.as_deref()),
        Command::Import {
            engine,
            source,
            into,
        } => import(engine, &source, &into),
    }
}

/// Prints the report on stdout; exit 1 when the import failed or its result does not pass
/// `gazette check` (the report says why).
fn import(
    engine: gazette::commands::import::Engine,
    source: &std::path::Path,
    into: &std::path::Path,
) -> ExitCode {
    match gazette::commands::import::import(engine, source, into) {
        Ok(report) => {
            say(report::visible(report.to_string().trim_end()));
            if report.check_errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "the site was written into {}, but gazette check finds errors (above)",
                    report::visible(&into.display().to_string())
                );
                ExitCode::from(1)
            }
        }
        Err(error) => {
            Reporter::new(source).error(&error);
            ExitCode::from(1)
        }
    }
}

fn build(options: &gazette::BuildOptions) -> ExitCode {
    let started = Instant::now();
    let reporter = Reporter::new(&options.root);
    match gazette::build(options) {
        Ok(report) => {
            for warning in &report.warnings {
                reporter.warning(warning);
            }
            if report.written == 0 && report.deleted == 0 {
                eprintln!(
                    "{} is up to date ({}, {}): nothing changed since it was built; \
                     checked in {} ms",
                    report::visible(&report.output.display().to_string()),
                    plural(report.pages, "page", "pages"),
                    plural(report.files, "file", "files"),
                    started.elapsed().as_millis()
                );
            } else {
                eprintln!(
                    "built {} ({}) into {} in {} ms: {} written, {} deleted",
                    plural(report.pages, "page", "pages"),
                    plural(report.files, "file", "files"),
                    report::visible(&report.output.display().to_string()),
                    started.elapsed().as_millis(),
                    report.written,
                    report.deleted
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            reporter.error(&error);
            let count = error.flatten().len();
            let output = options.output_dir();
            eprintln!(
                "{}: the build failed and {} was left as it was",
                plural(count, "error", "errors"),
                report::visible(&output.display().to_string())
            );
            ExitCode::from(1)
        }
    }
}

/// `1 file`, `2 files`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn check(root: &std::path::Path, drafts: bool) -> ExitCode {
    let reporter = Reporter::new(root);
    let diagnostics = gazette::commands::check::check(root, drafts);
    for error in &diagnostics.errors {
        reporter.error(error);
    }
    for warning in &diagnostics.warnings {
        reporter.warning(warning);
    }
    eprintln!(
        "{}, {} in {}",
        plural(diagnostics.errors.len(), "error", "errors"),
        plural(diagnostics.warnings.len(), "warning", "warnings"),
        plural(diagnostics.files, "file", "files")
    );
    if diagnostics.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn init(dir: &std::path::Path) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    match gazette::commands::init::init(dir, today) {
        Ok(files) => {
            for file in files {
                say(report::visible(&dir.join(file).display().to_string()));
            }
            let shown = report::visible(&dir.display().to_string());
            eprintln!(
                "a new newsletter is in {shown}: `gazette serve --watch --root {shown}` shows it \
                 as you write"
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            Reporter::new(dir).error(&error);
            ExitCode::from(1)
        }
    }
}

fn theme(root: &std::path::Path) -> ExitCode {
    match gazette::commands::init::copy_theme(root) {
        Ok((written, kept)) => {
            for file in &written {
                say(report::visible(&file.display().to_string()));
            }
            if !kept.is_empty() {
                eprintln!(
                    "{} there already, left as {}",
                    plural(kept.len(), "file was", "files were"),
                    if kept.len() == 1 { "it is" } else { "they are" }
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            Reporter::new(root).error(&error);
            ExitCode::from(1)
        }
    }
}

fn new(root: &std::path::Path, target: &str, title: Option<&str>) -> ExitCode {
    let reporter = Reporter::new(root);
    let today = chrono::Local::now().date_naive();
    let result = gazette::commands::new::new_article(root, target, title, today);
    match result {
        Ok(paths) => {
            for path in paths {
                say(path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            reporter.error(&error);
            ExitCode::from(1)
        }
    }
}

fn serve(options: gazette::commands::serve::ServeOptions, open: bool) -> ExitCode {
    use std::io::Write;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this site, drafts included",
            options.bind
        );
    }
    let watch = options.watch;
    let server = match gazette::commands::serve::Server::start(options) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(1);
        }
    };
    let url = format!("{}/", server.url());
    say(format!(
        "Serving {url} (Ctrl-C to stop){}",
        if watch { ", rebuilding on changes" } else { "" }
    ));
    let _ = std::io::stdout().flush();
    if open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(windows) {
            "explorer"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    // Returns only when serving (or, with --watch, rebuilding) can go on no more.
    let error = server.run();
    eprintln!("{error}");
    ExitCode::from(1)
}

/// Prints a line on stdout. A reader that went away (`gazette theme | head`) is no error:
/// what is left to print is dropped.
fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
