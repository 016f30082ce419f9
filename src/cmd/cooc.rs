//! `kalima cooc`: co-occurrence pairs in a word window, sentence or document, with association measures.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 4); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima cooc`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima cooc`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima cooc` is not built yet")
}
