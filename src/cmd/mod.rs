//! One module per subcommand: its `Args` and its `run`.

pub mod freq;
pub mod tokenize;
