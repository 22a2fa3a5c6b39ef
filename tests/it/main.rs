//! The one integration-test binary; each module says what belongs in it.

mod cli;
mod generated;
mod html;
mod markup;
mod support;
mod tei;
mod validate;
mod validate_cli;
