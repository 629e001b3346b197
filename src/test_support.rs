//! Helpers shared by unit tests.

/// A fixed xorshift generator: the same "random" inputs on every run, so a failure repeats.
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// A fixture site of `tests/fixtures/NAME` (or an empty one with `None`) with the default
/// theme, in a temp folder: (the folder, the site's root).
pub(crate) fn fixture_site(name: Option<&str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temp folder");
    let root = dir.path().join("site");
    copy_dir(&repo.join("themes/default"), &root.join("themes/default"));
    match name {
        Some(name) => copy_dir(&repo.join("tests/fixtures").join(name), &root),
        None => std::fs::write(
            root.join("config.toml"),
            "base_url = \"https://example.org\"\ndefault_language = \"fr\"\n\
             [languages.fr]\ntitle = \"La Gazette\"\n[languages.en]\ntitle = \"The Gazette\"\n",
        )
        .expect("writing config.toml"),
    }
    (dir, root)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walking a fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copying a fixture");
        }
    }
}

/// A page with front matter: `title`, `date` and extra TOML lines, then a body.
pub(crate) fn article(title: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = {title:?}\ndate = 2026-11-27\n{extra}\n+++\n{body}\n")
}
