//! The site's images (files copied to the output) -> their sizes, and for each raster image
//! wider than a phone, resized variants planned as extra output files (`photo.480w.jpg`),
//! so that pages give every `<img>` its width and height and a `srcset` from which a phone
//! takes a variant near its width, never the original. Variants are made once and kept in
//! `.gazette-cache/images/` under the site, by the original's content hash, across builds.
//!
//! The only module that decodes images (the `image` crate, with PNG, JPEG and WebP).

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::key::key_of;

/// The widths of the variants, in CSS pixels: phones (1x and 2x), tablets, desktops at 2x.
pub(crate) const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

/// Where variants are kept between builds, under the site's root (ignored by git).
pub(crate) const CACHE_DIR: &str = ".gazette-cache/images";

/// The width of the variant a page's `src` names (for browsers without `srcset`).
const FALLBACK_WIDTH: u32 = 1200;

/// An original no wider than this is offered as it is, alongside its variants.
const LARGEST_OFFERED: u32 = 1600;

/// One image of the site, as pages show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageInfo {
    pub width: u32,
    pub height: u32,
    /// (width, absolute URL) of each variant, narrowest first; empty for SVG and small images.
    pub variants: Vec<(u32, String)>,
    /// The original, when it is small enough to be offered too.
    pub original: Option<(u32, String)>,
}

impl ImageInfo {
    /// The URL for `src`: a variant near `FALLBACK_WIDTH`, else the original (`url`).
    pub(crate) fn src<'a>(&'a self, url: &'a str) -> &'a str {
        self.variants
            .iter()
            .rev()
            .find(|(w, _)| *w <= FALLBACK_WIDTH)
            .or(self.variants.first())
            .map_or(url, |(_, u)| u.as_str())
    }

    /// `srcset`'s candidates, or none when there are no variants.
    pub(crate) fn srcset(&self) -> Option<String> {
        if self.variants.is_empty() {
            return None;
        }
        let candidates: Vec<String> = self
            .variants
            .iter()
            .chain(self.original.as_ref())
            .map(|(w, url)| format!("{url} {w}w"))
            .collect();
        Some(candidates.join(", "))
    }
}

/// A variant to make: the original, its content hash, the width, and where it goes.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub source: PathBuf,
    pub hash: u64,
    pub width: u32,
    pub format: ImageFormat,
}

impl Variant {
    /// What the variant is made from, for the build's record of unchanged files.
    pub(crate) fn key(&self) -> crate::key::Key {
        key_of(&[
            b"image variant",
            &self.hash.to_le_bytes(),
            &self.width.to_le_bytes(),
        ])
    }
}

/// Every image of the site by absolute URL, and the variants to make.
#[derive(Debug, Default)]
pub(crate) struct Images {
    pub by_url: HashMap<String, ImageInfo>,
    /// (output path, variant)
    pub variants: Vec<(String, Variant)>,
}

impl Images {
    /// A hash of every image's size and variants: pages show them, so they are part of what
    /// each page is made from.
    pub(crate) fn key(&self) -> crate::key::Key {
        let mut urls: Vec<_> = self.by_url.iter().collect();
        urls.sort_by(|a, b| a.0.cmp(b.0));
        let text: String = urls
            .iter()
            .map(|(url, i)| format!("{url} {}x{} {:?}\n", i.width, i.height, i.variants))
            .collect();
        key_of(&[b"images", text.as_bytes()])
    }
}

/// The images among the files copied to the output ((output path, source file)): their
/// sizes, and the variants of the raster ones wider than the narrowest variant.
pub(crate) fn plan(config: &Config, files: &[(String, PathBuf)]) -> Images {
    let mut images = Images::default();
    for (path, source) in files {
        let Some(format) = format_of(path) else {
            continue;
        };
        let url = config.absolute(&format!("/{path}"));
        let info = match format {
            Kind::Svg => svg_size(source).map(|(width, height)| ImageInfo {
                width,
                height,
                variants: Vec::new(),
                original: None,
            }),
            Kind::Raster(format) => raster(config, path, source, format, &mut images.variants),
        };
        if let Some(info) = info {
            images.by_url.insert(url, info);
        }
    }
    images
}

enum Kind {
    Svg,
    Raster(ImageFormat),
}

fn format_of(path: &str) -> Option<Kind> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "svg" => Kind::Svg,
        "png" => Kind::Raster(ImageFormat::Png),
        "jpg" | "jpeg" => Kind::Raster(ImageFormat::Jpeg),
        "webp" => Kind::Raster(ImageFormat::WebP),
        _ => return None,
    })
}

/// A raster image's size (from its header), with its variants added to `variants`.
fn raster(
    config: &Config,
    path: &str,
    source: &Path,
    format: ImageFormat,
    variants: &mut Vec<(String, Variant)>,
) -> Option<ImageInfo> {
    let (width, height) = ImageReader::open(source)
        .ok()?
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    let widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w < width).collect();
    let mut info = ImageInfo {
        width,
        height,
        variants: Vec::new(),
        original: None,
    };
    if widths.is_empty() {
        return Some(info);
    }
    let bytes = std::fs::read(source).ok()?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let (stem, extension) = path.rsplit_once('.')?;
    for w in widths {
        let output = format!("{stem}.{w}w.{extension}");
        info.variants
            .push((w, config.absolute(&format!("/{output}"))));
        let variant = Variant {
            source: source.to_path_buf(),
            hash,
            width: w,
            format,
        };
        variants.push((output, variant));
    }
    if width <= LARGEST_OFFERED {
        info.original = Some((width, config.absolute(&format!("/{path}"))));
    }
    Some(info)
}

/// An SVG's size: its root element's `width` and `height` in pixels, else its `viewBox`.
fn svg_size(source: &Path) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(source).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    let pixels = |v: &str| {
        v.trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
    };
    if let (Some(w), Some(h)) = (
        attribute("width").and_then(pixels),
        attribute("height").and_then(pixels),
    ) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let numbers: Vec<f64> = attribute("viewBox")?
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

/// The bytes of `variant`: from the cache under `root`, or resized from the original (and
/// then kept in the cache).
pub(crate) fn render(root: &Path, variant: &Variant) -> Result<Vec<u8>> {
    let extension = variant.format.extensions_str()[0];
    let cached = root.join(CACHE_DIR).join(format!(
        "{:016x}-{}.{extension}",
        variant.hash, variant.width
    ));
    if let Ok(bytes) = std::fs::read(&cached) {
        return Ok(bytes);
    }
    let bytes = resize(variant).map_err(|message| Error::Output {
        location: crate::error::Location::file(&variant.source),
        message,
    })?;
    // The cache only saves time: a cache that cannot be written is no error.
    if let Some(dir) = cached.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let temporary = cached.with_extension(format!("{extension}.{}", std::process::id()));
        if std::fs::write(&temporary, &bytes).is_ok() {
            let _ = std::fs::rename(&temporary, &cached);
        }
    }
    Ok(bytes)
}

/// The original, read and resized to the variant's width, encoded in its own format.
fn resize(variant: &Variant) -> std::result::Result<Vec<u8>, String> {
    let original = ImageReader::open(&variant.source)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| format!("cannot read this image to resize it: {e}"))?;
    let height = (u64::from(original.height()) * u64::from(variant.width))
        .div_ceil(u64::from(original.width().max(1))) as u32;
    let resized = original.resize_exact(
        variant.width,
        height.max(1),
        image::imageops::FilterType::CatmullRom,
    );
    let mut out = Cursor::new(Vec::new());
    match variant.format {
        ImageFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
            resized.to_rgb8().write_with_encoder(encoder)
        }
        ImageFormat::WebP => resized.to_rgba8().write_to(&mut out, ImageFormat::WebP),
        format => resized.write_to(&mut out, format),
    }
    .map_err(|e| format!("cannot write a resized copy of this image: {e}"))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_the_root_element() {
        let dir = tempfile::tempdir().unwrap();
        let sized = dir.path().join("a.svg");
        std::fs::write(
            &sized,
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480px\" height=\"340\"><rect/></svg>",
        )
        .unwrap();
        assert_eq!(svg_size(&sized), Some((480, 340)));
        let boxed = dir.path().join("b.svg");
        std::fs::write(&boxed, "<svg viewBox=\"0 0 360 290.4\"></svg>").unwrap();
        assert_eq!(svg_size(&boxed), Some((360, 290)));
        std::fs::write(&boxed, "<svg width=\"100%\"></svg>").unwrap();
        assert_eq!(svg_size(&boxed), None);
    }

    #[test]
    fn srcset_lists_variants_and_a_small_enough_original() {
        let info = ImageInfo {
            width: 1000,
            height: 500,
            variants: vec![(480, "a.480w.jpg".into()), (800, "a.800w.jpg".into())],
            original: Some((1000, "a.jpg".into())),
        };
        assert_eq!(
            info.srcset().as_deref(),
            Some("a.480w.jpg 480w, a.800w.jpg 800w, a.jpg 1000w")
        );
        assert_eq!(info.src("a.jpg"), "a.800w.jpg");
    }
}
