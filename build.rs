//! Embeds the default theme (themes/default/) in the binary: an installed gazette builds a
//! site that has no themes/ folder, and a site's own themes/default/ overrides it file by file.

use std::path::Path;

fn main() {
    let theme = Path::new("themes/default");
    // Cargo scans a folder named here for changes to any file in it.
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    list(theme, theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file of the default theme: (path inside the theme, bytes).\n\
         pub(crate) const FILES: &[(&str, &[u8])] = &[\n",
    );
    for file in files {
        let absolute = format!("/themes/default/{file}");
        code.push_str(&format!(
            "    ({file:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {absolute:?}))),\n"
        ));
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    std::fs::write(Path::new(&out).join("default_theme.rs"), code)
        .expect("writing the embedded theme's file list");
}

/// Files under `dir`, as paths relative to `root` with `/`, hidden files left out.
fn list(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).expect("reading themes/default");
    for entry in entries {
        let path = entry.expect("reading themes/default").path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            list(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}
