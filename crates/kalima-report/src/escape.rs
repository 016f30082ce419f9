//! Escaping untrusted text (corpus terms, titles, file names) for HTML and Markdown.
//!
//! Both escapes also show bidi formatting characters (U+202A–U+202E, U+2066–U+2069, LRM, RLM,
//! ALM) as `‹U+XXXX›` markers ([`kalima_text::display::visible_controls`]): raw, they would
//! reorder a term or make two different terms look the same. The CSV files of a report keep
//! them.

use kalima_text::display::visible_controls;

/// `s` escaped for HTML text and for quoted attribute values: `& < > " '` become entities.
///
/// Enough for element content and `"…"`/`'…'` attributes (HTML Living Standard §13.1.2.3,
/// §13.1.4); never used for unquoted attributes, URLs, `<script>` or `<style>` content.
/// Bidi formatting characters become `‹U+XXXX›` (see the module docs).
pub fn html(s: &str) -> String {
    let s = visible_controls(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in HTML text (except tab/newline).
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `s` escaped as inline Markdown text (also safe inside a table cell).
///
/// The characters that can start inline markup in CommonMark (spec 0.31) or GitHub
/// Flavored Markdown are backslash-escaped (§2.4): emphasis `* _ ~`, code `` ` ``, links and
/// images `[ ] !`, table pipes `|`, `\\`, headings `#`, math `$`, and `:` and `@` so no
/// URL or e-mail address becomes an autolink (a `www.` gets its dot escaped for the same
/// reason). `<`, `>` and `&` become entities so no raw HTML, autolink or entity survives
/// (a backslash does not stop an entity from being decoded, `&amp;` does). Line breaks
/// become spaces, so the text never starts a line (block markup such as `-` or `1.` needs
/// that) and a cell or heading stays on one line. Bidi formatting characters become
/// `‹U+XXXX›` (see the module docs).
pub fn markdown(s: &str) -> String {
    let s = visible_controls(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '!' | '|' | '#' | '$' | ':' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '.' if out.len() >= 3
                && out.as_bytes()[out.len() - 3..].eq_ignore_ascii_case(b"www") =>
            {
                out.push_str("\\.")
            }
            c => out.push(c),
        }
    }
    out
}

/// `s` reduced to a safe file-name stem: ASCII letters, digits, `-` and `_` only
/// (anything else becomes `_`), never empty, at most 64 bytes. Such a name has no path
/// separator and cannot be `.` or `..`, so a file named from it stays in its folder.
pub fn file_stem(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Standard base64 (RFC 4648 §4, with padding), for PNG charts inlined as `data:` URIs.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for ch in bytes.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= ch.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_neutralises_markup() {
        assert_eq!(
            html(r#""><img src=x onerror=alert(1)>"#),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            html("<script>a&b</script>"),
            "&lt;script&gt;a&amp;b&lt;/script&gt;"
        );
        assert_eq!(html("it's"), "it&#39;s");
        assert_eq!(html("كتاب"), "كتاب");
        assert_eq!(html("a\u{0}b"), "a\u{FFFD}b");
    }

    #[test]
    fn markdown_neutralises_links_html_and_pipes() {
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            r"\[x\](javascript\:alert(1))"
        );
        assert_eq!(markdown("<b>|*_`"), r"&lt;b&gt;\|\*\_\`");
        assert_eq!(markdown("&lt;"), "&amp;lt;");
        assert_eq!(markdown("a\nb"), "a b");
        assert_eq!(markdown("كتاب"), "كتاب");
        assert_eq!(markdown("ب."), "ب.");
        assert_eq!(
            markdown("0.25 (a-b) www.x.org a@b.c"),
            r"0.25 (a-b) www\.x.org a\@b.c"
        );
    }

    #[test]
    fn bidi_controls_become_visible_in_html_and_markdown() {
        // "abc" with a right-to-left override would read "acb"; with RLM, ALM or an isolate
        // the term would look like plain الرئيس. ZWNJ is part of Persian words and stays.
        let cases = [
            ("a\u{202E}bc", "a‹U+202E›bc"),
            ("الرئيس\u{200F}", "الرئيس‹U+200F›"),
            ("ال\u{061C}رئيس", "ال‹U+061C›رئيس"),
            ("\u{2067}الرئيس\u{2069}", "‹U+2067›الرئيس‹U+2069›"),
            (
                "\u{202A}\u{202B}\u{202C}\u{202D}",
                "‹U+202A›‹U+202B›‹U+202C›‹U+202D›",
            ),
            ("\u{2066}\u{2068}\u{200E}", "‹U+2066›‹U+2068›‹U+200E›"),
            ("می\u{200C}خواهم", "می\u{200C}خواهم"),
        ];
        for (raw, shown) in cases {
            assert_eq!(html(raw), shown);
            assert_eq!(markdown(raw), shown);
        }
    }

    #[test]
    fn file_stems_cannot_escape() {
        assert_eq!(file_stem("../../etc/passwd"), "______etc_passwd");
        assert_eq!(file_stem(""), "_");
        assert_eq!(file_stem(".."), "__");
        assert_eq!(file_stem("Top_terms-1"), "top_terms-1");
    }

    #[test]
    fn base64_rfc4648_test_vectors() {
        // RFC 4648 §10.
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }
}
