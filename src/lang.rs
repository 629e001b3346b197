//! Language codes: splitting `name.fr.md` into its name and language, and writing dates
//! the way each language writes them ("1er décembre 2026", "December 1, 2026").

use chrono::{Datelike, NaiveDate};

/// Splits a Markdown file name (`x.fr.md`, `x.md`) into its stem and language suffix.
/// Returns `None` for a file that is not Markdown.
pub(crate) fn split_suffix(file_name: &str) -> Option<(&str, Option<&str>)> {
    let stem = file_name.strip_suffix(".md")?;
    match stem.rsplit_once('.') {
        Some((name, suffix)) if looks_like_language(suffix) && !name.is_empty() => {
            Some((name, Some(suffix)))
        }
        _ => Some((stem, None)),
    }
}

/// `fr`, `en`, `pt-br`: two or three ASCII letters, optionally a region. Anything else after
/// the last dot (`v1.2`) is part of the name, not a language.
fn looks_like_language(s: &str) -> bool {
    let (base, region) = match s.split_once('-') {
        Some((b, r)) => (b, Some(r)),
        None => (s, None),
    };
    let letters = |t: &str, min: usize, max: usize| {
        (min..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic())
    };
    letters(base, 2, 3) && region.is_none_or(|r| letters(r, 2, 4))
}

/// The POSIX-style locale (`fr_FR`) used for `og:locale` and dates when the config gives none.
pub(crate) fn default_locale(code: &str) -> String {
    match code {
        "fr" => "fr_FR".into(),
        "en" => "en_US".into(),
        "de" => "de_DE".into(),
        "es" => "es_ES".into(),
        "it" => "it_IT".into(),
        "pt" => "pt_PT".into(),
        "nl" => "nl_NL".into(),
        other => {
            let (base, region) = other.split_once('-').unwrap_or((other, other));
            format!(
                "{}_{}",
                base.to_ascii_lowercase(),
                region.to_ascii_uppercase()
            )
        }
    }
}

/// A date written in full in the given locale.
pub(crate) fn long_date(date: NaiveDate, locale: &str) -> String {
    let chrono_locale = chrono::Locale::try_from(locale).unwrap_or(chrono::Locale::en_US);
    if locale.starts_with("fr") {
        // French writes the first of the month as an ordinal: « 1er décembre ».
        let day = if date.day() == 1 {
            "1er".to_string()
        } else {
            date.day().to_string()
        };
        format!("{day} {}", date.format_localized("%B %Y", chrono_locale))
    } else if locale.starts_with("en") {
        date.format_localized("%B %-d, %Y", chrono_locale)
            .to_string()
    } else {
        date.format_localized("%-d %B %Y", chrono_locale)
            .to_string()
    }
}

/// A short date for dense lists: "27 nov. 2026" / "Nov 27, 2026".
pub(crate) fn short_date(date: NaiveDate, locale: &str) -> String {
    let chrono_locale = chrono::Locale::try_from(locale).unwrap_or(chrono::Locale::en_US);
    if locale.starts_with("en") {
        date.format_localized("%b %-d, %Y", chrono_locale)
            .to_string()
    } else {
        date.format_localized("%-d %b %Y", chrono_locale)
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(split_suffix("x.fr.md"), Some(("x", Some("fr"))));
        assert_eq!(split_suffix("x.md"), Some(("x", None)));
        assert_eq!(split_suffix("v1.2.md"), Some(("v1.2", None)));
        assert_eq!(split_suffix("a.b.pt-br.md"), Some(("a.b", Some("pt-br"))));
        assert_eq!(split_suffix(".fr.md"), Some((".fr", None)));
        assert_eq!(split_suffix("x.txt"), None);
    }

    #[test]
    fn dates_in_full() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(long_date(d, "fr_FR"), "27 novembre 2026");
        assert_eq!(long_date(d, "en_US"), "November 27, 2026");
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(long_date(first, "fr_FR"), "1er décembre 2026");
        assert_eq!(long_date(first, "en_US"), "December 1, 2026");
    }
}
