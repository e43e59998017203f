//! Pictures in cards (cover photos, avatars, logos) from the URL prefixes an operator
//! allows. Off by default.
//!
//! [`policy`] decides which URLs may be fetched and which addresses a fetch may connect
//! to; it is checked on every hop of a fetch. [`decode`] turns the bytes into a slot's
//! pixels, under limits.

pub mod decode;
pub mod policy;
