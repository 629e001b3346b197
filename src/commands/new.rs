//! `gazette new SECTION/SLUG`: writes one stub per configured language, paired by path,
//! dated today and marked draft. Never overwrites a file, and writes all the stubs or none:
//! if the site with them would not build (a reserved name, a page where a list goes), they
//! are taken back and the reason given.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Location, Result};

/// Writes the stubs in the site at `root` and returns their paths (relative to the root).
pub fn new_article(
    root: &Path,
    target: &str,
    title: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<Vec<PathBuf>> {
    let config = &Config::load(root)?;
    let (section, name) = split_target(target)?;
    let slug = slug::slugify(name);
    if slug.is_empty() {
        return Err(usage(
            target,
            "the name has no letters or digits to make a file name from",
        ));
    }
    // A title is one line: line breaks (and other control characters) become spaces.
    let title = title
        .map(|t| t.split(char::is_control).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| humanize(name));
    let dir = section
        .iter()
        .fold(PathBuf::from("content"), |dir, segment| dir.join(segment));
    let paths: Vec<PathBuf> = config
        .languages
        .iter()
        .map(|l| dir.join(format!("{slug}.{}.md", l.code)))
        .collect();
    if let Some(existing) = paths.iter().find(|p| config.root.join(p).exists()) {
        return Err(Error::Content {
            location: Location::file(existing),
            message: "already exists: gazette new never overwrites a file (choose another name, or edit this one)".into(),
        });
    }
    let stubs: Vec<String> = config
        .languages
        .iter()
        .map(|l| stub(&title, &l.code, today, !section.is_empty()))
        .collect();
    let made = make_folders(&config.root, &dir)?;
    let written = write_all(&config.root, &paths, &stubs);
    let result = written.and_then(|()| refuse_new_errors(config, &paths));
    if result.is_err() {
        for path in &paths {
            let _ = std::fs::remove_file(config.root.join(path));
        }
        for folder in made.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
    result.map(|()| paths)
}

/// Makes `dir` (relative to `root`) and the folders above it; gives those it made, outermost
/// first, so that taking the stubs back can remove them too.
fn make_folders(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut made = Vec::new();
    let mut folder = root.to_path_buf();
    for part in dir.components() {
        folder.push(part);
        if !folder.exists() {
            std::fs::create_dir(&folder).map_err(|e| Error::io(dir, e))?;
            made.push(folder.clone());
        }
    }
    Ok(made)
}

/// Writes every stub, each only if no file is there.
fn write_all(root: &Path, paths: &[PathBuf], stubs: &[String]) -> Result<()> {
    for (path, text) in paths.iter().zip(stubs) {
        write_new(&root.join(path), text).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// The errors the site has with the new files that are about them (errors it had already
/// are left to `check`).
fn refuse_new_errors(config: &Config, paths: &[PathBuf]) -> Result<()> {
    let mut diagnostics = crate::error::Diagnostics::default();
    let site = crate::read_site(config, true, None, &mut diagnostics);
    let _ = crate::plan(
        config.clone(),
        site,
        crate::How::default(),
        None,
        &mut diagnostics,
    );
    let about_new: Vec<Error> = diagnostics
        .errors
        .into_iter()
        .flat_map(|e| match e {
            Error::Many(errors) => errors,
            single => vec![single],
        })
        .filter(|e| {
            let text = e.to_string();
            paths.iter().any(|p| text.contains(&*p.to_string_lossy()))
        })
        .collect();
    match Error::from_many(about_new) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// `articles/Mon titre` -> (["articles"], "Mon titre"); refuses `..`, absolute paths, `issues/`.
fn split_target(target: &str) -> Result<(Vec<String>, &str)> {
    let target = target.trim_matches('/');
    let (section, name) = target.rsplit_once('/').unwrap_or(("", target));
    let segments: Vec<String> = section
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slug::slugify)
        .collect();
    if segments.iter().any(String::is_empty) || target.contains('\\') || target.contains("..") {
        return Err(usage(
            target,
            "write SECTION/NAME with plain folder names, e.g. articles/my-article",
        ));
    }
    if segments.first().is_some_and(|s| s == "issues") {
        return Err(usage(
            target,
            "content/issues/ holds issue intros (issues/N.LANG.md), not articles",
        ));
    }
    Ok((segments, name))
}

fn usage(target: &str, message: &str) -> Error {
    Error::Content {
        location: Location::file(Path::new("content").join(target)),
        message: message.to_string(),
    }
}

fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn stub(title: &str, lang: &str, today: chrono::NaiveDate, is_article: bool) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    let (intro, rest) = match lang {
        "fr" => (
            "Écrivez ici le chapeau de l'article : il sert de résumé dans les listes et les flux.",
            "La suite de l'article.",
        ),
        _ => (
            "Write the article's opening here: it is the summary in lists and feeds.",
            "The rest of the article.",
        ),
    };
    let article_keys = if is_article {
        "tags = []\n# issue = 1\n# authors = [\"\"]\n"
    } else {
        ""
    };
    format!(
        "+++\ntitle = {title}\ndate = {today}\ndescription = \"\"\n{article_keys}draft = true\n+++\n\n{intro}\n\n<!-- more -->\n\n{rest}\n"
    )
}

/// Creates the file, failing if it appeared since we looked.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            split_target("articles/Numéro spécial").unwrap(),
            (vec!["articles".to_string()], "Numéro spécial")
        );
        assert!(split_target("../x").is_err());
        assert!(split_target("issues/3").is_err());
        assert_eq!(humanize("numero-special"), "Numero special");
    }

    #[test]
    fn stubs_parse() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let text = stub("Q \"uote\"", "fr", date, true);
        let doc = crate::frontmatter::parse(&text, Path::new("x.md"), true).unwrap();
        assert_eq!(doc.front.title, "Q \"uote\"");
        assert!(doc.front.draft);
    }
}
