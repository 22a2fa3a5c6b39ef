//! teimark: plain-text historical sources to archival digital editions.

pub mod diag;
pub mod diff;
