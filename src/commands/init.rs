//! `gazette init [DIR]`: a new, working bilingual newsletter in an empty folder (config.toml,
//! a first article and a first issue in each language, an about page), and `gazette theme`:
//! the built-in theme copied into a site to be customised. Neither overwrites a file.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// Writes a new site into `dir` (made if missing; it must hold nothing but dotfiles) and
/// gives the files written, relative to it.
pub fn init(dir: &Path, today: chrono::NaiveDate) -> Result<Vec<PathBuf>> {
    if dir.is_file() {
        return Err(refuse(
            dir,
            "this is a file: gazette init makes a site in a folder",
        ));
    }
    if dir.is_dir() {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let taken = entries
            .flatten()
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'));
        if taken {
            return Err(refuse(
                dir,
                "this folder is not empty: gazette init writes a new site only into an empty \
                 folder (give it a new folder's name: gazette init my-newsletter)",
            ));
        }
    }
    let files = starter_files(today);
    write_files(dir, &files)
}

fn refuse(dir: &Path, message: &str) -> Error {
    Error::Output {
        location: Location::file(dir),
        message: message.to_string(),
    }
}

/// Writes every file, none over an existing one; on the first failure, removes those it
/// wrote.
fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (path, text) in files {
        let full = dir.join(path);
        let result = full
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&full)?
                    .write_all(text.as_bytes())
            });
        if let Err(e) = result {
            for done in &written {
                let _ = std::fs::remove_file(dir.join(done));
            }
            return Err(Error::io(&full, e));
        }
        written.push(PathBuf::from(path));
    }
    Ok(written)
}

/// Copies the built-in theme into `root/themes/default/`, leaving any file already there;
/// gives the files written and those left as they were.
pub fn copy_theme(root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (path, bytes) in crate::render::builtin_theme() {
        let relative = Path::new("themes/default").join(path);
        let full = root.join(&relative);
        if full.exists() {
            kept.push(relative);
            continue;
        }
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&full, bytes).map_err(|e| Error::io(&full, e))?;
        written.push(relative);
    }
    Ok((written, kept))
}

/// The new site's files: (path, text).
fn starter_files(today: chrono::NaiveDate) -> Vec<(String, String)> {
    let date = today.format("%Y-%m-%d").to_string();
    let article = |title: &str, description: &str, body: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = {date}\ndescription = \"{description}\"\n\
             tags = [\"gazette\"]\nissue = 1\n+++\n\n{body}"
        )
    };
    vec![
        ("config.toml".into(), CONFIG.into()),
        (
            "content/articles/bienvenue.fr.md".into(),
            article(
                "Bienvenue dans votre gazette",
                "Le premier article du premier numéro : où écrire, comment publier.",
                WELCOME_FR,
            ),
        ),
        (
            "content/articles/bienvenue.en.md".into(),
            article(
                "Welcome to your gazette",
                "The first article of the first issue: where to write, how to publish.",
                WELCOME_EN,
            ),
        ),
        (
            "content/issues/1.fr.md".into(),
            issue("Numéro 1", &date, ISSUE_FR),
        ),
        (
            "content/issues/1.en.md".into(),
            issue("Issue 1", &date, ISSUE_EN),
        ),
        ("content/a-propos.fr.md".into(), ABOUT_FR.into()),
        ("content/about.en.md".into(), ABOUT_EN.into()),
    ]
}

fn issue(title: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\n{body}")
}

const CONFIG: &str = r#"# Your newsletter's configuration: every key is described in gazette's guide
# (docs/content/configuration.md).
base_url = "https://newsletter.example"
default_language = "fr"

[languages.fr]
title = "Ma Gazette"
description = "L'actualité, chaque semaine"

[languages.en]
title = "My Gazette"
description = "The news, every week"

# How readers subscribe (your mailing tool's form address), and the email editions'
# unsubscribe link: your tool's merge tag, put as it is in their footer. Buttondown's is
# below; listmonk's is "{{ UnsubscribeURL }}", Mailchimp's "*|UNSUB|*", Brevo's
# "{{ unsubscribe }}". See the guide's page on the email edition.
[newsletter]
# subscribe_url = "https://buttondown.com/api/emails/embed-subscribe/YOU"
# email_field = "email"
unsubscribe_url = "{{ unsubscribe_url }}"
"#;

const WELCOME_FR: &str = "Chaque article s'écrit une fois par langue : ce fichier, \
`content/articles/bienvenue.fr.md`, et sa traduction `bienvenue.en.md`. Les deux pages \
se lient l'une à l'autre d'elles-mêmes.\n\n<!-- more -->\n\n## Écrire\n\n\
`gazette new articles/mon-sujet` prépare un article dans chaque langue. \
`gazette serve --watch` montre le site et le recharge à chaque enregistrement.\n\n\
## Publier\n\n`gazette build` écrit le site dans `output/` : ce dossier se dépose tel quel \
chez n'importe quel hébergeur de pages statiques. Chaque numéro a aussi son édition \
par courriel, prête à envoyer.\n";

const WELCOME_EN: &str = "Each article is written once per language: this file, \
`content/articles/bienvenue.en.md`, and its translation `bienvenue.fr.md`. The two pages \
link to each other by themselves.\n\n<!-- more -->\n\n## Writing\n\n\
`gazette new articles/my-topic` prepares an article in every language. \
`gazette serve --watch` shows the site and reloads it on every save.\n\n\
## Publishing\n\n`gazette build` writes the site into `output/`: that folder goes as it is \
to any static host. Every issue also has its email edition, ready to send.\n";

const ISSUE_FR: &str = "Le mot de la rédaction : ce texte ouvre le numéro, sur sa page et \
dans son courriel.\n";

const ISSUE_EN: &str = "A word from the editors: this text opens the issue, on its page and \
in its email.\n";

const ABOUT_FR: &str = "+++\ntitle = \"À propos\"\ntranslation_key = \"about\"\n+++\n\n\
Qui écrit cette gazette, et pourquoi. Écrivez-nous : redaction@newsletter.example.\n";

const ABOUT_EN: &str = "+++\ntitle = \"About\"\ntranslation_key = \"about\"\n+++\n\n\
Who writes this gazette, and why. Write to us: editors@newsletter.example.\n";
