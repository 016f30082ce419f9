//! The token type shared by every scheme.

/// A token: a byte range `start..end` in the ORIGINAL text handed to the analyzer.
///
/// Offsets never move with normalization: when normalization changed the text, the range
/// still covers the original bytes the (normalized) token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token {
    /// Byte offset of the first byte of the token.
    pub start: usize,
    /// Byte offset one past the last byte of the token.
    pub end: usize,
}

impl Token {
    /// A token covering `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Token { start, end }
    }

    /// The token's text in `text` (the string its offsets refer to).
    ///
    /// ```
    /// use kalima_text::Token;
    /// assert_eq!(Token::new(0, 4).text("كلمة"), "كل");
    /// ```
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the range is empty.
    pub const fn is_empty(&self) -> bool {
        self.end == self.start
    }
}
