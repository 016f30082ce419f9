//! `kalima ngrams`: n-gram (and skip-gram) frequencies.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 4); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima ngrams`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima ngrams`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima ngrams` is not built yet")
}
