//! Exporters: the document model written as TEI P5 and as its JSON twin.

pub mod json;
pub mod tei;
