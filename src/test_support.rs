//! Helpers shared by unit tests.

/// A fixed xorshift generator: the same "random" inputs on every run, so a failure repeats.
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
