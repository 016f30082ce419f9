//! `kalima report`: a self-contained HTML (and Markdown) frequency report of a corpus.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 9); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima report`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima report`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima report` is not built yet")
}
