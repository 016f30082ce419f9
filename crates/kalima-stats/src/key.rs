//! Fixed-size table keys: a term of up to [`INLINE_MAX`] bytes is its own key, so a lookup
//! compares three words in the slot it already loaded instead of chasing a pointer to the
//! term's bytes. In news Arabic 99.8% of tokens fit. Longer terms are keyed by a hash and their
//! length; a key match then still needs a byte comparison against the arena.

use std::hash::BuildHasher;

/// Longest term stored inline: 23 bytes plus the length byte fill three words.
pub(crate) const INLINE_MAX: usize = 23;

/// Marker in the top byte of word 2 of a long term's key (inline keys hold the length there).
const LONG: u64 = 0xFF << 56;

/// A term's key. Inline: the bytes zero-padded, little endian, length in the top byte.
/// Long: `[hash of the bytes, length, LONG]`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Key([u64; 3]);

#[inline(always)]
fn u64_at(t: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(t[i..i + 8].try_into().expect("8 bytes"))
}

#[inline(always)]
fn u32_at(t: &[u8], i: usize) -> u64 {
    u64::from(u32::from_le_bytes(t[i..i + 4].try_into().expect("4 bytes")))
}

#[inline(always)]
fn u16_at(t: &[u8], i: usize) -> u64 {
    u64::from(u16::from_le_bytes(t[i..i + 2].try_into().expect("2 bytes")))
}

/// `t` (at most 8 bytes) zero-padded into a word. Two overlapping loads OR-ed together: the
/// overlap holds the same bytes twice, so OR is exact. Building the key in registers matters:
/// copying into a zeroed buffer and reading it back as words stalls store forwarding.
#[inline(always)]
fn small(t: &[u8]) -> u64 {
    let n = t.len();
    if n >= 4 {
        u32_at(t, 0) | (u32_at(t, n - 4) << (8 * (n - 4)))
    } else if n >= 2 {
        u16_at(t, 0) | (u16_at(t, n - 2) << (8 * (n - 2)))
    } else if n == 1 {
        u64::from(t[0])
    } else {
        0
    }
}

/// Folded multiply (as in foldhash): the high and low halves of the 128-bit product, XOR-ed.
#[inline(always)]
fn fold_mul(x: u64, y: u64) -> u64 {
    let p = u128::from(x) * u128::from(y);
    (p as u64) ^ ((p >> 64) as u64)
}

// Digits of pi (foldhash's constants). Neither K[0] nor K[1] is valid UTF-8 anywhere in a word
// (a lead byte without its continuation; a continuation after ASCII), so for inline keys the
// first multiply never sees a zero operand. Were it to, hashing would get slower, not wrong.
const K: [u64; 3] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
];

impl Key {
    /// The key of no term (an empty slot's).
    pub(crate) const EMPTY: Key = Key([0; 3]);

    /// An inline key's bytes, zero-padded, and the term's length.
    #[inline]
    pub(crate) fn inline_bytes(self) -> ([u8; 24], usize) {
        let mut b = [0u8; 24];
        for (i, w) in self.0.iter().enumerate() {
            b[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
        }
        let n = usize::from(b[23]);
        (b, n)
    }

    /// The key of `t`.
    #[inline(always)]
    pub(crate) fn of(t: &[u8]) -> Key {
        let n = t.len();
        let len = (n as u64) << 56;
        // Each arm loads whole words and shifts away what belongs to the neighbour word.
        Key(if n <= 8 {
            [small(t), 0, len]
        } else if n <= 16 {
            [u64_at(t, 0), u64_at(t, n - 8) >> (8 * (16 - n)), len]
        } else if n <= INLINE_MAX {
            [
                u64_at(t, 0),
                u64_at(t, 8),
                (u64_at(t, n - 8) >> (8 * (24 - n))) | len,
            ]
        } else {
            [
                foldhash::fast::FixedState::default().hash_one(t),
                n as u64,
                LONG,
            ]
        })
    }

    /// Whether the key holds the term's bytes (else equal keys still need a byte comparison).
    #[inline(always)]
    pub(crate) fn is_inline(self) -> bool {
        self.0[2] & LONG != LONG
    }

    /// The table hash, from the key alone: growing the table or merging counters never reads
    /// the terms' bytes again.
    #[inline(always)]
    pub(crate) fn hash(self) -> u64 {
        let [a, b, c] = self.0;
        fold_mul(fold_mul(a ^ K[0], b ^ K[1]) ^ c, K[2])
    }

    /// The first 16 bytes of `term` (whose key this is), zero-padded, as two big-endian words:
    /// comparing prefixes orders terms by bytes except when the prefixes are equal, and for
    /// inline keys it needs nothing but the key.
    #[inline]
    pub(crate) fn prefix(self, term: &[u8]) -> [u64; 2] {
        if self.is_inline() {
            [self.0[0].swap_bytes(), self.0[1].swap_bytes()]
        } else {
            [u64_at(term, 0).swap_bytes(), u64_at(term, 8).swap_bytes()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious construction: copy into a zeroed buffer.
    fn reference(t: &[u8]) -> Key {
        if t.len() > INLINE_MAX {
            return Key::of(t);
        }
        let mut b = [0u8; 24];
        b[..t.len()].copy_from_slice(t);
        b[23] = t.len() as u8;
        let w = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        Key([w(0), w(8), w(16)])
    }

    #[test]
    fn inline_keys_match_the_padded_bytes_for_every_length() {
        let bytes: Vec<u8> = (1..=40).map(|i| i * 5).collect();
        for n in 0..=40 {
            let t = &bytes[..n];
            assert_eq!(Key::of(t), reference(t), "len {n}");
            assert_eq!(Key::of(t).is_inline(), n <= INLINE_MAX, "len {n}");
        }
    }

    #[test]
    fn keys_tell_apart_trailing_nul_and_length() {
        assert_ne!(Key::of(b"a"), Key::of(b"a\0"));
        assert_ne!(Key::of(b""), Key::of(b"\0"));
        let long = [b'x'; 30];
        assert_ne!(Key::of(&long), Key::of(&long[..29]));
        assert_eq!(Key::of(&long), Key::of(&[b'x'; 30]));
    }

    #[test]
    fn prefix_orders_like_bytes_when_it_differs() {
        let long_a = "ك".repeat(12);
        let long_b = format!("{}a", "ك".repeat(8));
        let terms: [&[u8]; 11] = [
            b"",
            b"\0",
            b"a",
            b"a\0",
            b"ab",
            "كتب".as_bytes(),
            "كتاب".as_bytes(),
            &[b'z'; 30],
            &[b'z'; 16],
            long_a.as_bytes(),
            long_b.as_bytes(),
        ];
        for a in terms {
            for b in terms {
                let (pa, pb) = (Key::of(a).prefix(a), Key::of(b).prefix(b));
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn keys_are_equal_exactly_when_terms_are(a in "[a\\x00ب]{0,30}", b in "[a\\x00ب]{0,30}") {
            let (ka, kb) = (Key::of(a.as_bytes()), Key::of(b.as_bytes()));
            if ka.is_inline() {
                proptest::prop_assert_eq!(ka == kb, a == b);
                proptest::prop_assert_eq!(ka, reference(a.as_bytes()));
            } else if a == b {
                proptest::prop_assert_eq!(ka, kb);
            }
        }
    }
}
