//! Exporters: the document model written as TEI P5, as its JSON twin and as
//! the HTML reading edition.

pub mod html;
pub mod json;
pub mod tei;
