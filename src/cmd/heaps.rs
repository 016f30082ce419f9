//! `kalima heaps`: vocabulary growth curve with a fitted Heaps' law.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 5); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima heaps`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima heaps`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima heaps` is not built yet")
}
