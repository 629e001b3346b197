//! Typography on prose: text in -> text out, pure. French: a no-break space before `:` and
//! `%`, a narrow no-break space before `; ! ?`, no-break spaces inside « », and the
//! typographic apostrophe. English: curly quotes and apostrophes (“ ” ‘ ’). Both: a number
//! stays on the line of the word it counts (`17 milliards`, `3 min`). Callers hand it text
//! only: never code, URLs or attributes.

/// The rules of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rules {
    French,
    English,
}

/// Applies `rules` to a whole string (a title, a description).
pub(crate) fn typeset(rules: Rules, text: &str) -> String {
    typeset_after(rules, text, None)
}

/// Applies `rules` to `text`, which follows `prev` (the last character of the previous piece
/// of the same paragraph, if any). Idempotent.
pub(crate) fn typeset_after(rules: Rules, text: &str, prev: Option<char>) -> String {
    let text = match rules {
        Rules::French => french_after(text, prev),
        Rules::English => english_after(text, prev),
    };
    numbers_hold_their_word(&text, prev)
}

/// U+00A0, before `:` and `%` and inside « ».
pub(crate) const NBSP: char = '\u{a0}';
/// U+202F, before `; ! ?`.
pub(crate) const NNBSP: char = '\u{202f}';

/// Applies French spacing to a whole string (a title, a description).
#[cfg(test)]
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

/// English quotes: `"` and `'` become “ ” ‘ ’ by what comes before them (a quote after a
/// space or an opening bracket opens), and an apostrophe is ’. Words that look like URLs are
/// left as written. Idempotent: curly quotes are never touched again.
pub(crate) fn english_after(text: &str, prev: Option<char>) -> String {
    if !text.contains(['"', '\'']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = prev;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !is_space(c) && last.is_none_or(is_space) {
            let end = text[at..].find(is_space).map_or(text.len(), |n| at + n);
            if is_url_like(&text[at..end]) {
                out.push_str(&text[at..end]);
                last = text[at..end].chars().next_back();
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
                continue;
            }
        }
        let next = chars.peek().map(|&(_, n)| n);
        let opens = last.is_none_or(|l| is_space(l) || "([{<“‘—–-/=".contains(l));
        let curly = match c {
            '"' if opens => '“',
            '"' => '”',
            // ’90s, rock ’n’ roll: an apostrophe, not an opening quote.
            '\'' if opens && next.is_some_and(|n| n.is_alphabetic()) => '‘',
            '\'' => '’',
            other => other,
        };
        out.push(curly);
        last = Some(curly);
    }
    out
}

/// A space between a number and the word after it (`17 milliards`, `3 min`, `20 novembre`)
/// becomes a no-break space: a line never starts with the word a number counts.
fn numbers_hold_their_word(text: &str, prev: Option<char>) -> String {
    if !text.bytes().any(|b| b.is_ascii_digit()) && !prev.is_some_and(|p| p.is_ascii_digit()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    // Whether the characters just written are a number standing as a word of its own.
    let mut in_number = prev.is_some_and(|p| p.is_ascii_digit());
    let mut word_start = prev.is_none_or(is_space);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && in_number && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            out.push(NBSP);
            in_number = false;
            word_start = true;
            continue;
        }
        in_number = if c.is_ascii_digit() {
            in_number || word_start
        } else {
            in_number && matches!(c, ',' | '.') && chars.peek().is_some_and(char::is_ascii_digit)
        };
        // A sign or a currency may stand before the number: `$17 billion`, `(3 min)`.
        word_start = is_space(c) || matches!(c, '$' | '€' | '£' | '(' | '+' | '−' | '~' | '≈');
        out.push(c);
    }
    out
}

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
    fn english_quotes_and_apostrophes() {
        let en = |s: &str| typeset(Rules::English, s);
        assert_eq!(
            en("\"Personal superintelligence\""),
            "“Personal superintelligence”"
        );
        assert_eq!(
            en("Meta's bet, Zuckerberg's 'vision'"),
            "Meta’s bet, Zuckerberg’s ‘vision’"
        );
        assert_eq!(en("don't ('quoted') the '90s"), "don’t (‘quoted’) the ’90s");
        assert_eq!(en("\"Why?\" she asked."), "“Why?” she asked.");
        assert_eq!(
            en("see https://x.io/it's?a=\"b\" here"),
            "see https://x.io/it's?a=\"b\" here"
        );
        assert_eq!(english_after("\" end", Some('x')), "” end");
        assert_eq!(en("src=\"x.png\""), "src=“x.png”");
        assert_eq!(english_after("\"start", Some(' ')), "“start");
        for s in ["\"a 'b' c\"", "it's", "“done”", "'90s"] {
            let once = en(s);
            assert_eq!(en(&once), once, "idempotent: {s}");
        }
    }

    #[test]
    fn numbers_keep_their_word() {
        let fr = |s: &str| typeset(Rules::French, s);
        assert_eq!(
            fr("17 milliards de dollars"),
            "17\u{a0}milliards de dollars"
        );
        assert_eq!(fr("le 20 novembre 2026"), "le 20\u{a0}novembre 2026");
        assert_eq!(fr("71,5 milliards"), "71,5\u{a0}milliards");
        assert_eq!(typeset(Rules::English, "3 min read"), "3\u{a0}min read");
        assert_eq!(typeset(Rules::English, "$17 billion"), "$17\u{a0}billion");
        assert_eq!(
            typeset(Rules::English, "HTTP/3 is here"),
            "HTTP/3 is here",
            "not a number of its own"
        );
        assert_eq!(
            typeset_after(Rules::French, " milliards", Some('7')),
            "\u{a0}milliards"
        );
        assert_eq!(
            fr("en 2026 : 3 000 postes"),
            "en 2026\u{a0}: 3 000\u{a0}postes"
        );
        let once = fr("17 milliards, 3 min");
        assert_eq!(fr(&once), once);
    }

    #[test]
    fn continues_across_pieces() {
        assert_eq!(french_after("!", Some('a')), "\u{202f}!");
        assert_eq!(french_after(" !", Some('a')), "\u{202f}!");
        assert_eq!(french_after("!", Some(' ')), "!");
    }
}
