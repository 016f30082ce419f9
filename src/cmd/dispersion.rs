//! `kalima dispersion`: dispersion of each term across documents or equal parts.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 5); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima dispersion`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima dispersion`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima dispersion` is not built yet")
}
