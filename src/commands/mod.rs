//! The commands besides `build` (`crate::build`, the pipeline itself). Each reuses the
//! pipeline's stages; none is used by them.

pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
