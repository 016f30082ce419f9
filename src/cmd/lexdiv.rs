//! `kalima lexdiv`: lexical diversity measures, per document and for the whole corpus.
//!
//! Placeholder registered so subcommands can be built in parallel (issue 5); it is
//! replaced by the real command.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;

use crate::Outcome;

/// Arguments of `kalima lexdiv`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Arguments (not yet interpreted)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Run `kalima lexdiv`.
pub fn run(_args: Args) -> Result<Outcome> {
    bail!("`kalima lexdiv` is not built yet")
}
