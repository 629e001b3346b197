//! The Nu HTML checker (npm `vnu-jar`, run with Java) over the sample newsletter's output:
//! no error outside the email editions, whose markup is written for mail clients.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::REPO;

/// `VNU_JAR`, or where `.ci/run` installs it: `npm install --prefix target/tools vnu-jar`.
fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(REPO).join("target/tools/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    assert!(
        jar.is_file(),
        "{} is missing: `npm install --prefix target/tools vnu-jar` (and Java: \
         `apt-get install default-jre-headless`), or set VNU_JAR",
        jar.display()
    );
    jar
}

#[test]
fn the_sample_newsletter_has_no_html_error_outside_its_emails() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let options = gazette::BuildOptions {
        root: REPO.into(),
        output: Some(site.clone()),
        ..Default::default()
    };
    let report = gazette::build(&options).unwrap_or_else(|e| panic!("{e}"));
    // A page with a known mistake shows that the checker reads the files and says so.
    let probe = "<!DOCTYPE html><html lang=\"en\"><title>probe</title><p>text</div>";
    std::fs::write(site.join("probe.html"), probe).unwrap();
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--format", "gnu", "--skip-non-html"])
        .arg(&site)
        .output()
        .expect("java runs (apt-get install default-jre-headless)");
    let said = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    let checked = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(checked > report.pages, "{checked} HTML files");
    let (probed, errors): (Vec<&str>, Vec<&str>) = said
        .lines()
        .filter(|line| line.contains("error"))
        .filter(|line| !line.contains("email.html"))
        .partition(|line| line.contains("probe.html"));
    assert!(
        !probed.is_empty(),
        "the checker found no mistake in probe.html: {said}"
    );
    assert!(
        errors.is_empty(),
        "{} errors in {checked} files:\n{}",
        errors.len(),
        errors.join("\n")
    );
}
