//! `kalima zipf`: rank-frequency table with maximum-likelihood Zipf and Zipf-Mandelbrot fits.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 5); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima zipf`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima zipf`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima zipf` is not built yet")
}
