//! The expression language's tests, one file per concern.

mod detect;
mod errors;
mod eval;
mod parse;
mod props;
mod speed;
