//! `kalima bench`: benchmark tokenizers: throughput, fertility, coverage, agreement with gold.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 7); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima bench`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima bench`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima bench` is not built yet")
}
