//! Old URLs -> pages that send readers (and search engines) on to the new ones, and
//! `_redirects`, the same list as HTTP redirects for hosts that read it (Netlify,
//! Cloudflare Pages).

use super::html::escape_xml;
use super::plan::Redirect;
use crate::config::Config;

/// The absolute URL a redirect leads to.
fn target(config: &Config, redirect: &Redirect) -> String {
    if redirect.to.starts_with("https://") || redirect.to.starts_with("http://") {
        redirect.to.clone()
    } else {
        config.absolute(&redirect.to)
    }
}

/// The page at an old URL: a canonical link and an immediate refresh to the new URL, a link
/// for readers without either, and no indexing.
pub(crate) fn page(config: &Config, redirect: &Redirect) -> Vec<u8> {
    let to = escape_xml(&target(config, redirect));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{to}</title>\n<link rel=\"canonical\" href=\"{to}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n\
         <body>\n<p><a href=\"{to}\">{to}</a></p>\n</body>\n</html>\n",
        lang = escape_xml(&redirect.lang),
    )
    .into_bytes()
}

/// `_redirects`: `OLD NEW 301`, one line per redirect, paths under the base URL's own path.
pub(crate) fn file(config: &Config, redirects: &[Redirect]) -> Vec<u8> {
    let base_path = config
        .base_url
        .splitn(4, '/')
        .nth(3)
        .map_or(String::new(), |path| format!("/{path}"));
    let mut text = String::new();
    for redirect in redirects {
        let to = if redirect.to.starts_with('/') {
            format!("{base_path}{}", redirect.to)
        } else {
            redirect.to.clone()
        };
        // A space would split the line; the paths are checked to have none but URL ones.
        let clean = |s: &str| s.replace(char::is_whitespace, "%20");
        text.push_str(&format!(
            "{}{} {} 301\n",
            base_path,
            clean(&redirect.from),
            clean(&to)
        ));
    }
    text.into_bytes()
}
