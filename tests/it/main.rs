//! The one integration-test binary; each module says what belongs in it.

mod cli;
mod diagnostics;
mod diff;
mod generated;
mod html;
mod markup;
mod rebase;
mod revisions;
mod support;
mod tei;
mod validate;
mod validate_cli;
