//! Bytes to UTF-8: encoding detection on a sniffed prefix, then streaming decoding with
//! reusable buffers, counting (and locating) malformed byte sequences.

use std::io::{self, BufRead, Read};

use encoding_rs::{DecoderResult, Encoding, ISO_8859_6, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1256};

/// How many bytes are looked at to detect the encoding.
pub(crate) const SNIFF: usize = 64 * 1024;
/// A NUL byte this early in a file that is not UTF-16 makes it binary.
pub(crate) const BINARY_WINDOW: usize = 8 * 1024;
/// How many offsets of malformed sequences are kept to be shown.
pub(crate) const SHOWN_BAD: usize = 5;
/// Spare room kept in output buffers so that the decoder always makes progress.
const MIN_SPARE: usize = 64;

/// The outcome of [`detect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Detected {
    /// Text in this encoding, starting after `bom_len` bytes of byte order mark.
    Text {
        encoding: &'static Encoding,
        bom_len: usize,
        note: Option<String>,
    },
    /// A NUL byte at this offset: binary.
    Binary(u64),
}

/// Detects the encoding of a file from its first bytes (`window`; `at_eof` when that is the
/// whole file). `forced` is the user's choice, which only a byte order mark overrides.
pub(crate) fn detect(window: &[u8], at_eof: bool, forced: Option<&'static Encoding>) -> Detected {
    if let Some((bom_enc, bom_len)) = Encoding::for_bom(window) {
        let note = match forced {
            Some(f) if f != bom_enc => Some(format!(
                "byte order mark says {}; read as {} instead of {}",
                bom_enc.name(),
                bom_enc.name(),
                f.name()
            )),
            _ => None,
        };
        return Detected::Text {
            encoding: bom_enc,
            bom_len,
            note,
        };
    }
    let head = &window[..window.len().min(BINARY_WINDOW)];
    let text = |encoding, note| Detected::Text {
        encoding,
        bom_len: 0,
        note,
    };
    if let Some(enc) = forced {
        if enc != UTF_16LE
            && enc != UTF_16BE
            && let Some(p) = memchr::memchr(0, head)
        {
            return Detected::Binary(p as u64);
        }
        return text(enc, None);
    }
    if let Some(enc) = utf16_guess(head) {
        return text(
            enc,
            Some(format!(
                "assumed {} (no byte order mark; NUL/0x06 byte pattern)",
                enc.name()
            )),
        );
    }
    if let Some(p) = memchr::memchr(0, head) {
        return Detected::Binary(p as u64);
    }
    if Encoding::utf8_valid_up_to(window) == window.len() {
        return text(UTF_8, None);
    }
    let enc = single_byte_guess(window);
    if utf8_plausible(window, at_eof, enc) {
        return text(UTF_8, None);
    }
    text(
        enc,
        Some(format!("assumed {} (not valid UTF-8)", enc.name())),
    )
}

/// UTF-16 without a byte order mark: in Arabic or Latin text nearly every high byte is 0x00 or
/// 0x06, and nearly no low byte is.
fn utf16_guess(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len() / 2;
    if n == 0 || memchr::memchr2(0, 6, head).is_none() {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        le += usize::from(pair[1] == 0 || pair[1] == 6);
        be += usize::from(pair[0] == 0 || pair[0] == 6);
    }
    if le * 10 >= n * 7 && be * 10 <= n {
        Some(UTF_16LE)
    } else if be * 10 >= n * 7 && le * 10 <= n {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Valid and invalid sequences when `window` is read as UTF-8: `(valid, invalid)`, counting
/// only multi-byte characters as valid (ASCII says nothing about the encoding).
fn utf8_tally(window: &[u8], at_eof: bool) -> (usize, usize) {
    let mut invalid = 0usize;
    let mut multibyte = 0usize;
    let mut rest = window;
    let leads = |b: &[u8]| b.iter().filter(|&&x| x >= 0xC0).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                multibyte += leads(rest);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                multibyte += leads(&rest[..valid]);
                match e.error_len() {
                    None => {
                        // Cut at the end of the window: fine unless the file ends there.
                        invalid += usize::from(at_eof);
                        break;
                    }
                    Some(len) => {
                        invalid += 1;
                        rest = &rest[valid + len..];
                    }
                }
            }
        }
    }
    (multibyte, invalid)
}

/// Share of the non-ASCII characters of `window` read as `enc` that look like text: letters
/// (Arabic or other), combining marks, and the punctuation of Arabic text. UTF-8 Arabic read
/// as windows-1256 scores low: every other character is a symbol from 0x80–0xBF (§ „ ¢ ±),
/// the rest mostly ط and ظ.
fn single_byte_score(window: &[u8], enc: &'static Encoding) -> f64 {
    let (text, _) = enc.decode_without_bom_handling(window);
    let (mut total, mut good) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        total += 1;
        let arabic_mark =
            matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}');
        let punct = matches!(
            c,
            '،' | '؛' | '؟' | '«' | '»' | '\u{A0}' | '\u{200C}' | '\u{200D}'
        );
        good += usize::from(c.is_alphabetic() || arabic_mark || punct);
    }
    if total == 0 {
        0.0
    } else {
        good as f64 / total as f64
    }
}

/// Whether UTF-8 (with damage, if any) explains `window` better than the single-byte encoding
/// `single` does. Valid multi-byte sequences hardly ever arise by chance in single-byte
/// Arabic text (a letter 0xC2–0xDF must be followed by one of the rarer bytes 0x80–0xBF), so
/// when they outnumber the invalid ones the text is UTF-8 with bad bytes in it; below that,
/// the share of valid sequences must still beat the share of plausible characters under the
/// single-byte reading. Without a single valid sequence there is no case for UTF-8.
fn utf8_plausible(window: &[u8], at_eof: bool, single: &'static Encoding) -> bool {
    let (valid, invalid) = utf8_tally(window, at_eof);
    if invalid == 0 {
        return true;
    }
    if valid == 0 {
        return false;
    }
    let share = valid as f64 / (valid + invalid) as f64;
    share >= 0.5 || share >= single_byte_score(window, single)
}

/// ISO-8859-6 when every byte is assigned there and some are 0xE7–0xEA (ه و ى ي in
/// ISO-8859-6, Latin letters in windows-1256); else windows-1256, which assigns every byte.
fn single_byte_guess(window: &[u8]) -> &'static Encoding {
    let assigned = window.iter().all(|&b| {
        b < 0x80 || matches!(b, 0xA0 | 0xA4 | 0xAC | 0xAD | 0xBB | 0xBF | 0xC1..=0xDA | 0xE0..=0xF2)
    });
    if assigned && window.iter().any(|b| (0xE7..=0xEA).contains(b)) {
        ISO_8859_6
    } else {
        WINDOWS_1256
    }
}

/// Reads up to `buf.len()` bytes, stopping early only at the end of the input or at an error,
/// which comes back with the number of bytes read before it.
pub(crate) fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> (usize, Option<io::Error>) {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

/// Why [`StreamDecoder::decode_into`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fill {
    /// The output has (nearly) no spare capacity left.
    Full,
    /// The input is exhausted and fully decoded.
    End,
}

/// Decodes a byte stream into UTF-8 with one reusable raw buffer.
pub(crate) struct StreamDecoder<'a> {
    reader: &'a mut dyn Read,
    raw: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    finished: bool,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    /// Raw bytes consumed by the decoder (offset in the input of `raw[pos]`).
    consumed: u64,
    /// Replacement characters still to be written.
    owed: u64,
    /// A read error held back until the text decoded before it was taken.
    held_error: Option<io::Error>,
    /// Malformed sequences seen.
    pub(crate) bad: u64,
    /// Offsets of the first [`SHOWN_BAD`] malformed sequences.
    pub(crate) bad_at: Vec<u64>,
}

impl<'a> StreamDecoder<'a> {
    /// `raw[..filled]` holds the first bytes of the input (already read for detection),
    /// `at_eof` tells that they are all of it; decoding starts after `skip` bytes (the BOM).
    pub(crate) fn new(
        reader: &'a mut dyn Read,
        raw: Vec<u8>,
        filled: usize,
        at_eof: bool,
        skip: usize,
        encoding: &'static Encoding,
    ) -> Self {
        StreamDecoder {
            reader,
            raw,
            pos: skip,
            end: filled,
            eof: at_eof,
            finished: false,
            decoder: encoding.new_decoder_without_bom_handling(),
            encoding,
            consumed: skip as u64,
            owed: 0,
            held_error: None,
            bad: 0,
            bad_at: Vec::new(),
        }
    }

    /// The encoding being decoded.
    pub(crate) fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// All the input was decoded.
    pub(crate) fn is_finished(&self) -> bool {
        self.finished && self.owed == 0
    }

    /// Bytes read from the input so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.consumed + (self.end - self.pos) as u64
    }

    /// Gives the raw buffer back.
    pub(crate) fn into_raw(self) -> Vec<u8> {
        self.raw
    }

    fn refill(&mut self) -> io::Result<()> {
        debug_assert_eq!(self.pos, self.end);
        self.pos = 0;
        self.end = 0;
        loop {
            match self.reader.read(&mut self.raw) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end = n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            return Ok(());
        }
    }

    /// Decodes into the spare capacity of `out` (which must have some) until it is full or the
    /// input ends. Malformed sequences become U+FFFD and are counted. A read error comes back
    /// only once the text decoded before it was returned (`Full` first when there is some).
    pub(crate) fn decode_into(&mut self, out: &mut String) -> io::Result<Fill> {
        if let Some(e) = self.held_error.take() {
            return Err(e);
        }
        let start = out.len();
        loop {
            while self.owed > 0 {
                if out.capacity() - out.len() < 3 {
                    return Ok(Fill::Full);
                }
                out.push('\u{FFFD}');
                self.owed -= 1;
            }
            if self.finished {
                return Ok(Fill::End);
            }
            if self.pos == self.end
                && !self.eof
                && let Err(e) = self.refill()
            {
                if out.len() > start {
                    self.held_error = Some(e);
                    return Ok(Fill::Full);
                }
                return Err(e);
            }
            let last = self.eof;
            let (result, read) = self.decoder.decode_to_string_without_replacement(
                &self.raw[self.pos..self.end],
                out,
                last,
            );
            self.pos += read;
            self.consumed += read as u64;
            match result {
                DecoderResult::InputEmpty => {
                    if last {
                        self.finished = true;
                    }
                }
                DecoderResult::OutputFull => return Ok(Fill::Full),
                DecoderResult::Malformed(bad, after) => {
                    let at = self.consumed - u64::from(after) - u64::from(bad);
                    if self.bad_at.len() < SHOWN_BAD {
                        self.bad_at.push(at);
                    }
                    self.bad += 1;
                    self.owed += 1;
                }
            }
        }
    }
}

/// Decoded text as a [`BufRead`] of UTF-8 bytes, for the record formats.
pub(crate) struct TextReader<'a> {
    pub(crate) dec: StreamDecoder<'a>,
    buf: String,
    pos: usize,
    /// Decoded bytes consumed before `buf`.
    base: u64,
    /// Room per refill.
    block: usize,
}

impl<'a> TextReader<'a> {
    pub(crate) fn new(dec: StreamDecoder<'a>, mut buf: String, block: usize) -> Self {
        buf.clear();
        TextReader {
            dec,
            buf,
            pos: 0,
            base: 0,
            block: block.max(MIN_SPARE),
        }
    }

    /// Offset in the decoded text of the next byte to be read.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Takes the decoded text not yet consumed, leaving the reader's buffer empty (the caller
    /// goes on with [`StreamDecoder::decode_into`]).
    pub(crate) fn take_buffered(&mut self) -> String {
        let pos = self.next_boundary();
        self.buf.drain(..pos);
        self.pos = 0;
        self.base = 0;
        std::mem::take(&mut self.buf)
    }

    /// Like [`BufRead::fill_buf`], as text (for readers that consume whole characters).
    pub(crate) fn fill_str(&mut self) -> io::Result<&str> {
        self.fill_buf()?;
        self.pos = self.next_boundary();
        Ok(&self.buf[self.pos..])
    }

    /// `pos`, or the next character boundary after it.
    fn next_boundary(&self) -> usize {
        let mut p = self.pos.min(self.buf.len());
        while !self.buf.is_char_boundary(p) {
            p += 1;
        }
        p
    }

    /// Splits into the decoder and the (emptied) text buffer.
    pub(crate) fn into_parts(mut self) -> (StreamDecoder<'a>, String) {
        self.buf.clear();
        (self.dec, self.buf)
    }
}

impl Read for TextReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for TextReader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.buf.len() {
            self.base += self.buf.len() as u64;
            self.buf.clear();
            self.pos = 0;
            if self.buf.capacity() < self.block {
                self.buf.reserve_exact(self.block);
            }
            while self.buf.is_empty() {
                if self.dec.decode_into(&mut self.buf)? == Fill::End {
                    break;
                }
            }
        }
        Ok(&self.buf.as_bytes()[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.buf.len());
    }
}

/// Makes sure `s` has at least [`MIN_SPARE`] bytes of spare capacity and room up to `target`.
pub(crate) fn ensure_room(s: &mut String, target: usize) {
    let want = target.max(s.len() + MIN_SPARE);
    if s.capacity() < want {
        s.reserve_exact(want - s.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc_of(bytes: &[u8]) -> Detected {
        detect(bytes, true, None)
    }

    fn is(d: &Detected, e: &'static Encoding) -> bool {
        matches!(d, Detected::Text { encoding, .. } if *encoding == e)
    }

    #[test]
    fn boms() {
        assert_eq!(
            enc_of(b"\xEF\xBB\xBFabc"),
            Detected::Text {
                encoding: UTF_8,
                bom_len: 3,
                note: None
            }
        );
        assert!(is(&enc_of(b"\xFF\xFEa\0"), UTF_16LE));
        assert!(is(&enc_of(b"\xFE\xFF\0a"), UTF_16BE));
        // A BOM wins over the option, with a note.
        match detect(b"\xEF\xBB\xBFabc", true, Some(WINDOWS_1256)) {
            Detected::Text { encoding, note, .. } => {
                assert_eq!(encoding, UTF_8);
                assert!(note.unwrap().contains("byte order mark"));
            }
            d => panic!("{d:?}"),
        }
    }

    #[test]
    fn utf16_without_bom() {
        let s = "السلام عليكم ورحمة الله\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        // Arabic UTF-16LE is valid UTF-8 byte for byte: the pattern must win.
        assert!(std::str::from_utf8(&le).is_ok());
        assert!(is(&enc_of(&le), UTF_16LE));
        assert!(is(&enc_of(&be), UTF_16BE));
        let latin: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(is(&enc_of(&latin), UTF_16LE));
    }

    #[test]
    fn binary_and_single_byte() {
        assert_eq!(enc_of(b"abc\0\0\0\x01\x02\0\0\0\0"), Detected::Binary(3));
        assert!(is(&enc_of("نص عربي".as_bytes()), UTF_8));
        assert!(is(&enc_of(b"plain ascii"), UTF_8));
        assert!(is(&enc_of(b""), UTF_8));
        let s = "ذهب الولد إلى المدرسة في الصباح وكان يوماً جميلاً";
        let (w, _, _) = WINDOWS_1256.encode(s);
        assert!(is(&enc_of(&w), WINDOWS_1256), "{:?}", enc_of(&w));
        let (i, _, _) = ISO_8859_6.encode(s);
        assert!(is(&enc_of(&i), ISO_8859_6), "{:?}", enc_of(&i));
        // A forced encoding still skips binaries, except UTF-16.
        assert_eq!(detect(b"a\0b", true, Some(UTF_8)), Detected::Binary(1));
        assert!(is(&detect(b"a\0b\0", true, Some(UTF_16LE)), UTF_16LE));
    }

    #[test]
    fn nearly_valid_utf8_stays_utf8() {
        let mut v = "كلمة ".repeat(100).into_bytes();
        v.insert(50, 0xFF);
        assert!(is(&enc_of(&v), UTF_8));
        // Cut inside a character at the end of a window that is not the whole file: fine.
        let w = "كلمة".as_bytes();
        assert!(is(&detect(&w[..3], false, None), UTF_8));
    }

    #[test]
    fn plausibility_of_each_reading() {
        let text = "ذهب الولد إلى المدرسة، وقرأ كتاباً عن تاريخ العرب؟\n".repeat(5);
        // UTF-8 Arabic read as windows-1256: ط/ظ and symbols, far from all letters.
        let mojibake = single_byte_score(text.as_bytes(), WINDOWS_1256);
        assert!((0.3..0.8).contains(&mojibake), "{mojibake}");
        // Real windows-1256: all letters and Arabic punctuation; as UTF-8 nearly all invalid.
        let w = WINDOWS_1256.encode(&text).0.into_owned();
        assert_eq!(single_byte_score(&w, WINDOWS_1256), 1.0);
        let (valid, invalid) = utf8_tally(&w, true);
        assert!(valid * 10 < invalid, "{valid} {invalid}");
        // Damaged UTF-8: 4 bad sequences for ~200 good ones.
        let mut d = text.into_bytes();
        for at in [40, 100, 160, 220] {
            let at = (at..).find(|&i| d[i] == b' ').unwrap();
            d.insert(at, 0xFF);
        }
        let (valid, invalid) = utf8_tally(&d, true);
        assert_eq!(invalid, 4);
        assert!(valid > 150, "{valid}");
        assert!(utf8_plausible(&d, true, WINDOWS_1256));
        assert!(!utf8_plausible(&w, true, WINDOWS_1256));
    }

    #[test]
    fn decoder_counts_bad_bytes() {
        let data = b"ab\xFFcd\xC3".to_vec();
        let mut r: &[u8] = &[];
        let mut raw = vec![0; 16];
        raw[..data.len()].copy_from_slice(&data);
        let mut d = StreamDecoder::new(&mut r, raw, data.len(), true, 0, UTF_8);
        let mut out = String::with_capacity(64);
        assert_eq!(d.decode_into(&mut out).unwrap(), Fill::End);
        assert_eq!(out, "ab\u{FFFD}cd\u{FFFD}");
        assert_eq!(d.bad, 2);
        assert_eq!(d.bad_at, [2, 5]);
    }
}
