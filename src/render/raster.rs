//! SVG → pixels: usvg parses, resvg paints onto a copy of the template's background.

use tiny_skia::{Pixmap, Transform};

use crate::render::RenderError;
use crate::templates::Template;

/// Paints `overlay` (an SVG the size of `template`) over the template's static layer.
pub fn rasterize(
    overlay: &str,
    template: &Template,
    options: &usvg::Options,
) -> Result<Pixmap, RenderError> {
    let tree =
        usvg::Tree::from_str(overlay, options).map_err(|e| RenderError::Svg(e.to_string()))?;
    let mut pixmap = template.background.clone();
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    Ok(pixmap)
}
