//! `kalima collocates`: collocates of one node word (or prefix/regex), with positional counts and measures.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 4); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima collocates`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima collocates`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima collocates` is not built yet")
}
