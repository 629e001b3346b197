//! French typography on prose: text in -> text out, pure. A no-break space before `:` and
//! `%`, a narrow no-break space before `; ! ?`, no-break spaces inside « », and the
//! typographic apostrophe. Callers hand it text only: never code, URLs or attributes.

/// U+00A0, before `:` and `%` and inside « ».
pub(crate) const NBSP: char = '\u{a0}';
/// U+202F, before `; ! ?`.
pub(crate) const NNBSP: char = '\u{202f}';

/// Applies French spacing to a whole string (a title, a description).
pub(crate) fn french(text: &str) -> String {
    french_after(text, None)
}

/// Applies French spacing to `text`, which follows `prev` (the last character of the
/// previous piece of the same paragraph, if any). Idempotent.
pub(crate) fn french_after(text: &str, prev: Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = prev;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        if !is_space(c) && last.is_none_or(is_space) {
            // Most prose holds none of the characters the rules act on: the words and spaces
            // before the word holding the next one are copied whole, but for the space just
            // before that word (it may take a rule).
            let Some(trigger) = find_trigger(&text[at..]).map(|n| at + n) else {
                out.push_str(&text[at..]);
                break;
            };
            let word_start = text[at..trigger]
                .rfind(is_space)
                .map(|n| at + n)
                .filter(|&space| space > at);
            if let Some(space) = word_start {
                out.push_str(&text[at..space]);
                last = text[..space].chars().next_back();
                at = space;
                continue;
            }
            // This word holds one: copied whole if it is a URL.
            let end = text[at..].find(is_space).map_or(text.len(), |n| at + n);
            let word = &text[at..end];
            if is_url_like(word) {
                out.push_str(word);
                last = word.chars().next_back();
                at = end;
                continue;
            }
        }
        at += c.len_utf8();
        at += apply_rules(c, text[at..].chars().next(), last, &mut out);
        last = out.chars().next_back();
    }
    out
}

/// Writes `c`, which follows `last` and comes before `next`, as the rules have it; gives how
/// many bytes after `c` it took in too (the space after `«`, replaced).
fn apply_rules(c: char, next: Option<char>, last: Option<char>, out: &mut String) -> usize {
    match c {
        ' ' if next.is_some_and(|n| space_before(n).is_some()) => {
            out.push(space_before(next.unwrap_or(':')).unwrap_or(NBSP));
        }
        ';' | '!' | '?' if last.is_some_and(wants_space_inserted) => {
            out.push(NNBSP);
            out.push(c);
        }
        '»' if last.is_some_and(|l| !is_space(l)) => {
            out.push(NBSP);
            out.push(c);
        }
        '«' => {
            out.push(c);
            match next {
                Some(' ') => {
                    out.push(NBSP);
                    return 1;
                }
                Some(n) if is_space(n) => {}
                _ => out.push(NBSP),
            }
        }
        '\'' => out.push('’'),
        _ => out.push(c),
    }
    0
}

/// Where the first byte of a character the rules act on is, or a byte like it (`ë` shares
/// its second byte with `«`): the caller looks closer.
fn find_trigger(text: &str) -> Option<usize> {
    let mut at = text.bytes().position(|b| IS_TRIGGER[b as usize])?;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

const IS_TRIGGER: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < TRIGGERS.len() {
        table[TRIGGERS[i] as usize] = true;
        i += 1;
    }
    table
};

/// Bytes of the characters the rules act on: `: ; ! ? % '`, and the second byte of « and ».
const TRIGGERS: &[u8] = b":;!?%'\xab\xbb";

/// Words that look like URLs or e-mail addresses are left as written.
fn is_url_like(word: &str) -> bool {
    word.contains("://") || word.starts_with("www.") || word.starts_with("mailto:")
}

/// The no-break space that belongs before `c`, if `c` takes one.
fn space_before(c: char) -> Option<char> {
    match c {
        ':' | '%' | '»' => Some(NBSP),
        ';' | '!' | '?' => Some(NNBSP),
        _ => None,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == NBSP || c == NNBSP
}

/// A word glued to `; ! ?` gets a space inserted (« Vraiment? » -> « Vraiment ? »);
/// punctuation runs (`?!`) and symbols do not.
fn wants_space_inserted(last: char) -> bool {
    last.is_alphanumeric() || matches!(last, ')' | '»' | '’' | '"' | '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// French spacing as first written, a word at a time, each word with a rule one character
    /// at a time: the oracle for the faster skipping of the words without one.
    fn reference(text: &str, prev: Option<char>) -> String {
        // Most pieces of prose hold none of the characters the rules act on: leading spaces and
        // « » matter only before or after one of these.
        if !old_has_trigger(text) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut last = prev;
        let mut at = 0;
        while let Some(c) = text[at..].chars().next() {
            if !is_space(c) && last.is_none_or(is_space) {
                // A word: copied whole when no rule can apply inside it, or when it is a URL.
                let end = text[at..].find(is_space).map_or(text.len(), |n| at + n);
                let word = &text[at..end];
                if !old_has_trigger(word) || is_url_like(word) {
                    out.push_str(word);
                    last = word.chars().next_back();
                    at = end;
                    continue;
                }
            }
            at += c.len_utf8();
            at += apply_rules(c, text[at..].chars().next(), last, &mut out);
            last = out.chars().next_back();
        }
        out
    }

    fn old_has_trigger(text: &str) -> bool {
        text.bytes().any(|b| TRIGGERS.contains(&b))
    }

    #[test]
    fn same_as_one_character_at_a_time() {
        let alphabet = [
            " ", " ", "\u{a0}", "\u{202f}", "\n", ":", ";", "!", "?", "%", "'", "«", "»", "a", "é",
            "ë", "»»", "x", "1", ")", "’", "\"", "*", "/", "://", "www.", "mailto:", "-", "\t",
        ];
        let mut next = crate::test_support::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..50_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            for prev in [None, Some(' '), Some('a'), Some('\u{a0}')] {
                assert_eq!(
                    french_after(&text, prev),
                    reference(&text, prev),
                    "{text:?} after {prev:?}"
                );
            }
        }
    }

    #[test]
    fn spaces_before_high_punctuation() {
        assert_eq!(
            french("Le constat : il faut ; oui !"),
            "Le constat\u{a0}: il faut\u{202f}; oui\u{202f}!"
        );
        assert_eq!(french("Vraiment? Oui!"), "Vraiment\u{202f}? Oui\u{202f}!");
        assert_eq!(french("Quoi ?!"), "Quoi\u{202f}?!");
        assert_eq!(french("50 %"), "50\u{a0}%");
    }

    #[test]
    fn guillemets_and_apostrophes() {
        assert_eq!(
            french("« superintelligence »"),
            "«\u{a0}superintelligence\u{a0}»"
        );
        assert_eq!(french("«IA»"), "«\u{a0}IA\u{a0}»");
        assert_eq!(french("l'IA"), "l’IA");
    }

    #[test]
    fn leaves_urls_and_times_alone() {
        assert_eq!(
            french("voir https://x.io/a?b=1 ici"),
            "voir https://x.io/a?b=1 ici"
        );
        assert_eq!(french("à 10:30"), "à 10:30");
    }

    #[test]
    fn idempotent() {
        for s in [
            "« a » : b ; c ! d ?",
            "«x»",
            "l'a?",
            "a ?! b",
            "www.x.fr?a !",
        ] {
            let once = french(s);
            assert_eq!(french(&once), once, "{s}");
        }
    }

    #[test]
    fn continues_across_pieces() {
        assert_eq!(french_after("!", Some('a')), "\u{202f}!");
        assert_eq!(french_after(" !", Some('a')), "\u{202f}!");
        assert_eq!(french_after("!", Some(' ')), "!");
    }
}
