//! Validation: checking TEI documents against their schemas.
//!
//! [`relaxng`] is the RELAX NG engine (schema compilation and streaming validation);
//! edition-specific rules and the CLI build on its API.

pub mod relaxng;
