//! `kalima chart`: charts (PNG/SVG) with Arabic shaped and ordered correctly.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 6); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima chart`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima chart`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima chart` is not built yet")
}
