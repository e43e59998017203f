//! What the renderer reads, loaded once (templates again on a reload): the font set
//! ([`fonts`]) and the card templates ([`templates`]). Nothing here imports the renderer:
//! assets are parsed and checked here, drawn there.

pub mod fonts;
pub mod templates;
pub mod xml;

/// Why the assets could not load (startup fails with it, naming the file and problem).
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error(transparent)]
    Font(#[from] fonts::FontError),
    #[error(transparent)]
    Template(#[from] templates::TemplateError),
    #[error(transparent)]
    FontDir(#[from] fonts::FontDirError),
}
