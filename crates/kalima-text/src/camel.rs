//! Exact reproduction of CAMeL Tools' `simple_word_tokenize` (work in progress).

use crate::Token;

/// Tokenize `text` like camel_tools' `simple_word_tokenize(text, split_digits)`, appending
/// byte ranges into `text` to `out`.
pub fn tokenize(text: &str, split_digits: bool, out: &mut Vec<Token>) {
    let _ = (text, split_digits, out);
    unimplemented!("camel scheme")
}
