//! The `gazette` command line: parses arguments, runs the library, prints what happened.
//! Exit status: 0 success, 1 site error, 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

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
        /// Replace an output folder that gazette did not create.
        #[arg(long)]
        force: bool,
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
        } => {
            let options = gazette::BuildOptions {
                root,
                output,
                base_url,
                drafts,
                force,
            };
            build(&options)
        }
    }
}

fn build(options: &gazette::BuildOptions) -> ExitCode {
    let started = Instant::now();
    match gazette::build(options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            eprintln!(
                "built {} pages ({} files) into {} in {} ms",
                report.pages,
                report.files,
                report.output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            report_error(&error);
            ExitCode::from(1)
        }
    }
}

fn report_error(error: &gazette::Error) {
    let all = error.flatten();
    for e in &all {
        eprintln!("{e}");
    }
    if all.len() > 1 {
        eprintln!("{} errors; nothing was written", all.len());
    } else {
        eprintln!("the build failed; nothing was written");
    }
}
