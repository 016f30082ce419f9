//! `kalima tfidf`: document-term tf-idf scores (long table or Matrix Market).
//!
//! Placeholder registered so subcommands can be built in parallel (issue 5); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima tfidf`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima tfidf`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima tfidf` is not built yet")
}
