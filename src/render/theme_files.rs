//! Which files make up the theme: for `theme = "default"`, the theme built into gazette,
//! overridden file by file by the site's own `themes/default/`; for any other name, the
//! site's `themes/NAME/` alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::source::{list_static_files, read_text};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The built-in theme's files: (path inside the theme, bytes).
pub(crate) fn builtin_theme() -> &'static [(&'static str, &'static [u8])] {
    builtin::FILES
}

/// One file of the theme.
#[derive(Debug, Clone)]
pub(crate) enum FileData {
    Builtin(&'static [u8]),
    Disk(PathBuf),
}

/// The theme's files by their path inside the theme (`templates/base.html`).
pub(crate) struct ThemeFiles {
    files: BTreeMap<String, FileData>,
}

impl ThemeFiles {
    pub(crate) fn find(config: &Config) -> Result<ThemeFiles> {
        let dir = config.theme_dir();
        let mut files = BTreeMap::new();
        if config.theme == "default" {
            for (path, bytes) in builtin::FILES {
                files.insert(path.to_string(), FileData::Builtin(bytes));
            }
        } else if !dir.is_dir() {
            return Err(Error::Config {
                location: Location::file("config.toml"),
                message: format!(
                    "theme \"{}\" not found: there is no folder themes/{}/ (the built-in theme \
                     is \"default\")",
                    config.theme, config.theme
                ),
            });
        }
        // Dotfiles count: a theme's static/ may hold `.well-known/`.
        for (path, source) in list_static_files(&config.root, &dir)? {
            files.insert(path, FileData::Disk(source));
        }
        Ok(ThemeFiles { files })
    }

    /// The files under `folder` (`templates`), by their path inside it.
    pub(crate) fn under<'a>(
        &'a self,
        folder: &str,
    ) -> impl Iterator<Item = (&'a str, &'a FileData)> + 'a {
        let prefix = format!("{folder}/");
        self.files
            .iter()
            .filter_map(move |(path, file)| Some((path.strip_prefix(&prefix)?, file)))
    }

    pub(crate) fn get(&self, path: &str) -> Option<&FileData> {
        self.files.get(path)
    }
}

impl FileData {
    /// The file's text, for templates and interface strings. `shown` names it in messages.
    pub(crate) fn text(&self, shown: &Path) -> Result<String> {
        match self {
            FileData::Disk(path) => read_text(path, shown),
            FileData::Builtin(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// How messages name the file at `path` of the theme: relative to the site's root.
    pub(crate) fn shown(&self, config: &Config, path: &str) -> PathBuf {
        match self {
            FileData::Disk(source) => source
                .strip_prefix(&config.root)
                .unwrap_or(source)
                .to_path_buf(),
            FileData::Builtin(_) => PathBuf::from(format!(
                "themes/{}/{path} (built into gazette)",
                config.theme
            )),
        }
    }
}
