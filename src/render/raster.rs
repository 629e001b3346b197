//! Images mail clients do not show (SVG: Gmail, Outlook; WebP: classic Outlook) -> PNG files
//! for the email edition, beside the original (`chart.svg` -> `chart.svg.png`): the web keeps
//! the original. An SVG is drawn at twice the size the email shows it, for sharp high-density
//! screens; the email gives that size as the image's width and height.
//!
//! The plan makes a `Raster` for each such file that a page of an issue mentions, sized when
//! planned: the email's key then changes with the size it shows, and the PNG's with its
//! source, so both are rendered again only when they change (across builds too).

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::theme_files::FileData;
use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::site::Site;

/// How wide the email shows an image at most: its text column, 600 px minus 24 px of padding
/// on each side.
pub(crate) const COLUMN: u32 = 552;
/// How tall an image is shown at most: an SVG drawn taller is scaled down to it, so that a
/// strange aspect ratio cannot ask for a picture of gigabytes.
const MAX_HEIGHT: u32 = 4000;
/// Past this many pixels a WebP is not decoded (the format allows 16383 × 16383).
const MAX_PIXELS: u64 = 40_000_000;

/// One image drawn to PNG for the email edition.
#[derive(Debug, Clone)]
pub(crate) struct Raster {
    /// The original's output path (`fr/articles/x/chart.svg`).
    pub original: String,
    pub source: FileData,
    pub format: Format,
    /// The size the email shows it at, in CSS pixels.
    pub width: u32,
    pub height: u32,
    /// The pages (of issues) that mention it.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Svg,
    Webp,
}

impl Format {
    /// The format of a file by its name, if it is one mail clients do not all show.
    pub(crate) fn of(path: &str) -> Option<Format> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "svg" => Some(Format::Svg),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }
}

/// The PNG's output path for the file at `original`.
pub(crate) fn png_path(original: &str) -> String {
    format!("{original}.png")
}

/// The rasters of the site's email editions, from its files to copy (`copies`: output path,
/// source): each SVG or WebP that a page of an issue mentions by name; a page's own files
/// (a bundle's, beside it) only for that page. A file that cannot be read or sized is left
/// as it is (`gazette check` says so of the email that shows it).
pub(crate) fn targets(
    config: &Config,
    site: &Site,
    copies: &[(String, FileData)],
) -> Vec<(String, Raster)> {
    let issue_pages: Vec<usize> = site
        .editions
        .iter()
        .flat_map(|edition| &edition.issues)
        .flat_map(|issue| issue.articles.iter().copied().chain(issue.intro))
        .collect();
    let content = config.root.join("content");
    let mut rasters = Vec::new();
    for (path, source) in copies {
        let Some(format) = Format::of(path) else {
            continue;
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let in_bundle = matches!(source, FileData::Disk(file) if file.starts_with(&content));
        let pages: Vec<usize> = issue_pages
            .iter()
            .copied()
            .filter(|&id| {
                let page = &site.pages[id];
                let own = path.starts_with(page.path.trim_start_matches('/'));
                page.body.contains(name) && (own || !in_bundle)
            })
            .collect();
        if pages.is_empty() {
            continue;
        }
        let Some((width, height)) = read(source).ok().and_then(|b| shown_size(format, &b)) else {
            continue;
        };
        let raster = Raster {
            original: path.clone(),
            source: source.clone(),
            format,
            width,
            height,
            pages,
        };
        rasters.push((png_path(path), raster));
    }
    rasters
}

fn read(source: &FileData) -> std::io::Result<Vec<u8>> {
    match source {
        FileData::Disk(path) => std::fs::read(path),
        FileData::Builtin(bytes) => Ok(bytes.to_vec()),
    }
}

/// The size (CSS pixels) the email shows an image of this format at: its own, at most the
/// text column's width and `MAX_HEIGHT`, the ratio kept. None if it cannot be read.
fn shown_size(format: Format, bytes: &[u8]) -> Option<(u32, u32)> {
    let (width, height) = match format {
        Format::Svg => {
            let size = usvg::Tree::from_data(bytes, &usvg::Options::default())
                .ok()?
                .size();
            (f64::from(size.width()), f64::from(size.height()))
        }
        Format::Webp => {
            let (w, h) = webp_size(bytes)?;
            (f64::from(w), f64::from(h))
        }
    };
    if !(width >= 1.0 && height >= 1.0 && width.is_finite() && height.is_finite()) {
        return None;
    }
    let scale = (f64::from(COLUMN) / width)
        .min(f64::from(MAX_HEIGHT) / height)
        .min(1.0);
    // Both at least 1: a hairline stays a visible line.
    let shown = |length: f64| ((length * scale).round() as u32).max(1);
    Some((shown(width), shown(height)))
}

fn webp_size(bytes: &[u8]) -> Option<(u32, u32)> {
    image_webp::WebPDecoder::new(Cursor::new(bytes))
        .ok()
        .map(|decoder| decoder.dimensions())
}

/// The PNG of `raster`: an SVG drawn at twice its shown size, a WebP as it is.
pub(crate) fn png(config: &Config, raster: &Raster) -> Result<Vec<u8>> {
    let shown = raster.source.shown(config, &raster.original);
    let fail = |message: String| Error::Content {
        location: Location::file(&shown),
        message: format!("cannot make the email edition's PNG of this image: {message}"),
    };
    let bytes = read(&raster.source).map_err(|e| Error::io(&shown, e))?;
    match raster.format {
        Format::Svg => svg_png(&bytes, raster.width * 2, raster.height * 2),
        Format::Webp => webp_png(&bytes),
    }
    .map_err(fail)
}

/// The SVG drawn into a `width` × `height` PNG, stretched as the email shows it.
fn svg_png(bytes: &[u8], width: u32, height: u32) -> std::result::Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|e| e.to_string())?;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or_else(|| format!("{width} × {height}"))?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The WebP decoded and written as PNG, pixel for pixel.
fn webp_png(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut decoder =
        image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("{width} × {height} pixels is too large"));
    }
    let size = decoder
        .output_buffer_size()
        .ok_or_else(|| "too large".to_string())?;
    let mut pixels = vec![0; size];
    decoder.read_image(&mut pixels).map_err(|e| e.to_string())?;
    let color = match decoder.has_alpha() {
        true => png::ColorType::Rgba,
        false => png::ColorType::Rgb,
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The system's fonts, for text in SVG: loaded once per process (a few hundred files to
/// look at), and only when an SVG is drawn.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut fonts = usvg::fontdb::Database::new();
            fonts.load_system_fonts();
            set_generic_families(&mut fonts);
            Arc::new(fonts)
        })
        .clone()
}

/// SVG's generic families (`sans-serif`…) as the first of the usual fonts the system has:
/// fontdb names Windows' fonts, which a Linux server seldom has.
fn set_generic_families(fonts: &mut usvg::fontdb::Database) {
    let has = |fonts: &usvg::fontdb::Database, family: &str| {
        fonts
            .faces()
            .any(|face| face.families.iter().any(|(name, _)| name == family))
    };
    let pick = |fonts: &usvg::fontdb::Database, choices: &[&str]| {
        choices
            .iter()
            .find(|family| has(fonts, family))
            .map(|family| family.to_string())
    };
    let sans = [
        "Arial",
        "Helvetica",
        "Liberation Sans",
        "DejaVu Sans",
        "Noto Sans",
    ];
    let serif = [
        "Times New Roman",
        "Liberation Serif",
        "DejaVu Serif",
        "Noto Serif",
    ];
    let mono = [
        "Courier New",
        "Liberation Mono",
        "DejaVu Sans Mono",
        "Noto Sans Mono",
    ];
    if let Some(family) = pick(fonts, &sans) {
        fonts.set_sans_serif_family(family);
    }
    if let Some(family) = pick(fonts, &serif) {
        fonts.set_serif_family(family);
    }
    if let Some(family) = pick(fonts, &mono) {
        fonts.set_monospace_family(family);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="340" viewBox="0 0 480 340"><rect width="480" height="340" fill="#29335c"/><text x="10" y="30">He</text></svg>"##;

    fn decoded_size(png: &[u8]) -> (u32, u32) {
        let decoder = png::Decoder::new(Cursor::new(png));
        let reader = decoder.read_info().expect("a PNG");
        (reader.info().width, reader.info().height)
    }

    #[test]
    fn an_svg_is_drawn_at_twice_its_shown_size() {
        assert_eq!(shown_size(Format::Svg, SVG), Some((480, 340)));
        let png = svg_png(SVG, 960, 680).unwrap();
        assert_eq!(decoded_size(&png), (960, 680));
    }

    #[test]
    fn wide_and_tall_images_are_shown_smaller_in_proportion() {
        let wide = br#"<svg xmlns="http://www.w3.org/2000/svg" width="1104" height="100"/>"#;
        assert_eq!(shown_size(Format::Svg, wide), Some((552, 50)));
        let tall = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="100000"/>"#;
        assert_eq!(shown_size(Format::Svg, tall), Some((1, 4000)));
        let hairline = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="1"/>"#;
        assert_eq!(shown_size(Format::Svg, hairline), Some((552, 1)));
    }

    #[test]
    fn a_webp_becomes_a_png_pixel_for_pixel() {
        let pixels: Vec<u8> = (0..40 * 30 * 4).map(|i| (i % 256) as u8).collect();
        let mut webp = Vec::new();
        image_webp::WebPEncoder::new(&mut webp)
            .encode(&pixels, 40, 30, image_webp::ColorType::Rgba8)
            .unwrap();
        assert_eq!(shown_size(Format::Webp, &webp), Some((40, 30)));
        assert_eq!(decoded_size(&webp_png(&webp).unwrap()), (40, 30));
    }

    #[test]
    fn what_cannot_be_read_is_not_sized() {
        for bytes in [
            &b""[..],
            b"<svg",
            b"not an image",
            b"RIFF\x00\x00\x00\x00WEBP",
        ] {
            assert_eq!(shown_size(Format::Svg, bytes), None);
            assert_eq!(shown_size(Format::Webp, bytes), None);
            assert!(webp_png(bytes).is_err());
        }
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(Format::of("a/b.SVG"), Some(Format::Svg));
        assert_eq!(Format::of("b.webp"), Some(Format::Webp));
        assert_eq!(Format::of("b.png"), None);
        assert_eq!(Format::of("svg"), None);
    }
}
