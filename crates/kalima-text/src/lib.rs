//! Arabic-aware normalization and tokenization with byte offsets into the original text.
#![deny(missing_docs)]

pub mod camel;
mod token;

pub use token::Token;
