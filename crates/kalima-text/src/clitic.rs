//! Clitic segmentation of Arabic words: the `clitic` scheme.
//!
//! Proclitics (conjunctions و ف, prepositions ب ك ل, future س, interrogative أ) and pronominal
//! enclitics (ي ني نا ك كما كم كن ه ها هما هم هن) become separate tokens; the definite article
//! stays attached, as in the Universal Dependencies Arabic treebanks (PUD, PADT). The `d3`
//! style also splits the article (as Farasa and the D3 scheme do).
//!
//! The decision is learned: for each word, every possible (proclitic chain, enclitic) split of
//! its letters is scored by a linear model over hashed string features (the split itself, the
//! word, the stem, the stem's first and last letters, its length, and how frequent the stem
//! and the word are in a 9-million-word news corpus); the best split wins. The model
//! (`model/clitic.bin`, 2^18 16-bit weights) and the frequency lexicon (`model/lexicon.txt`)
//! are embedded in the binary; `scripts/clitic/clitic.py` trains them deterministically
//! (averaged perceptron, Collins 2002). See docs/clitic.md for data, licence and scores.
//!
//! Words that cannot carry a clitic (no candidate split, or a letter outside Arabic
//! U+0621–U+064A) cost one scan and are never split. Diacritics and tatweel are ignored for
//! the decision and stay with the letter they follow.
//!
//! ```
//! use kalima_text::clitic::{segment, CliticStyle, Kind};
//! let mut parts = Vec::new();
//! segment("وبالمدينة", CliticStyle::Ud, &mut parts);
//! let pieces: Vec<(&str, Kind)> = parts.iter().map(|p| (&"وبالمدينة"[p.start..p.end], p.kind)).collect();
//! assert_eq!(pieces, [("و", Kind::Pro), ("ب", Kind::Pro), ("المدينة", Kind::Stem)]);
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

static MODEL: &[u8] = include_bytes!("../model/clitic.bin");
static LEXICON: &str = include_str!("../model/lexicon.txt");

/// Proclitic chains in the order the trainer enumerates them (length, then code point).
const CHAINS: [&str; 30] = [
    "", "أ", "ب", "س", "ف", "ك", "ل", "و", "أب", "أس", "أف", "أك", "أل", "أو", "فب", "فس", "فك",
    "فل", "وب", "وس", "وك", "ول", "أفب", "أفس", "أفك", "أفل", "أوب", "أوس", "أوك", "أول",
];
/// Enclitics in the trainer's order.
const ENCLITICS: [&str; 13] = [
    "", "ي", "ني", "نا", "ك", "كما", "كم", "كن", "ه", "ها", "هما", "هم", "هن",
];

/// Which convention to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CliticStyle {
    /// Universal Dependencies (PUD, PADT): the article ال stays on its word.
    #[default]
    Ud,
    /// D3 / Farasa: the article is split too.
    D3,
}

/// The role of a piece of a segmented word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A proclitic (و ف ب ك ل س أ, and ال in the d3 style).
    Pro,
    /// The stem.
    Stem,
    /// A pronominal enclitic.
    Enc,
}

impl Kind {
    /// `"pro"`, `"enc"`, or `None` for a stem.
    pub fn clitic_name(self) -> Option<&'static str> {
        match self {
            Kind::Pro => Some("pro"),
            Kind::Enc => Some("enc"),
            Kind::Stem => None,
        }
    }
}

/// How the gold convention spells a stem whose surface was changed by a clitic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Restore {
    /// The article's alef, dropped after ل: `للمدينة` = `ل` + `المدينة`.
    Alef,
    /// Ta marbuta written ت before an enclitic: `مدرستها` = `مدرسة` + `ها`.
    TaMarbuta,
    /// Alef maqsura written ي before an enclitic: `عليه` = `على` + `ه`.
    AlefMaqsura,
}

impl Restore {
    /// The piece's restored spelling from its surface text.
    pub fn apply(self, surface: &str) -> String {
        match self {
            Restore::Alef => format!("ا{surface}"),
            Restore::TaMarbuta | Restore::AlefMaqsura => {
                let mut s = surface.to_string();
                // The surface ends with the letter (maybe followed by diacritics): replace the
                // last letter, keep nothing after it (diacritics of ت do not fit ة anyway).
                let cut = s
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| c == 'ت' || c == 'ي')
                    .map(|(i, _)| i)
                    .unwrap_or(s.len());
                s.truncate(cut);
                s.push(if self == Restore::TaMarbuta {
                    'ة'
                } else {
                    'ى'
                });
                s
            }
        }
    }
}

/// One piece of a word: a byte range of the word, its role, and its restoration if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part {
    /// Start byte in the word.
    pub start: usize,
    /// End byte in the word.
    pub end: usize,
    /// Proclitic, stem or enclitic.
    pub kind: Kind,
    /// How the convention spells this piece when it differs from the surface.
    pub restore: Option<Restore>,
}

struct Model {
    weights: Vec<i16>,
    mask: u64,
    /// FNV-1a hash of a word → log2 of its corpus count, plus one.
    lex: HashMap<u64, u8, BuildFnv>,
}

#[derive(Default, Clone, Copy)]
struct BuildFnv;
impl std::hash::BuildHasher for BuildFnv {
    type Hasher = PassHasher;
    fn build_hasher(&self) -> PassHasher {
        PassHasher(0)
    }
}
/// The keys are already FNV hashes: pass them through.
struct PassHasher(u64);
impl std::hash::Hasher for PassHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        // Header: magic "KCLT0001", u32 bucket count, u32 reserved, then i16 weights (LE).
        let n = u32::from_le_bytes(MODEL[8..12].try_into().expect("model header")) as usize;
        let weights: Vec<i16> = MODEL[16..16 + 2 * n]
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        let mut lex = HashMap::with_capacity_and_hasher(80_000, BuildFnv);
        for line in LEXICON.lines().filter(|l| !l.starts_with('#')) {
            if let Some((w, b)) = line.split_once('\t') {
                let b: u8 = b.parse().unwrap_or(0);
                lex.insert(Fnv::new().str(w).0, b);
            }
        }
        Model {
            weights,
            mask: n as u64 - 1,
            lex,
        }
    })
}

/// FNV-1a 64 over a sequence of string parts (equal to hashing their concatenation).
#[derive(Clone, Copy)]
struct Fnv(u64);
impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    #[inline]
    fn str(self, s: &str) -> Self {
        self.bytes(s.as_bytes())
    }
    #[inline]
    fn bytes(mut self, s: &[u8]) -> Self {
        for &b in s {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
        self
    }
    #[inline]
    fn num(self, n: u32) -> Self {
        // Decimal, as Python's str(n); n < 100 here.
        if n >= 10 {
            self.bytes(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8])
        } else {
            self.bytes(&[b'0' + n as u8])
        }
    }
}

/// log2 bucket of a word's corpus count: 0 when unknown, else 1 + floor(log2 count), ≤ 24.
fn bucket(m: &Model, w: &str) -> u32 {
    match m.lex.get(&Fnv::new().str(w).0) {
        None => 0,
        Some(&b) => (1 + u32::from(b)).min(24),
    }
}

fn count(m: &Model, w: &str) -> i64 {
    match m.lex.get(&Fnv::new().str(w).0) {
        None => 0,
        Some(&b) => 1i64 << b,
    }
}

/// The stem as the gold data spells it (see `restore_stem` in the trainer), with the rule used.
fn restore_stem(m: &Model, p: &str, s: &str, e: &str, buf: &mut String) -> Option<Restore> {
    buf.clear();
    let mut how = None;
    if p.ends_with('ل') && s.starts_with('ل') {
        buf.push('ا');
        how = Some(Restore::Alef);
    }
    buf.push_str(s);
    if !e.is_empty() && buf.chars().count() >= 2 {
        let base_len = buf.len() - 2; // ت and ي are two bytes
        for (last, rep, r) in [
            ('ت', 'ة', Restore::TaMarbuta),
            ('ي', 'ى', Restore::AlefMaqsura),
        ] {
            if buf.ends_with(last) {
                let mut alt = String::with_capacity(buf.len());
                alt.push_str(&buf[..base_len]);
                alt.push(rep);
                if count(m, &alt) > count(m, buf) {
                    *buf = alt;
                    // Alef and a final-letter change together (لمدرستها) are rare: the
                    // reported rule is then the alef one; the lexicon lookup used both.
                    if how.is_none() {
                        how = Some(r);
                    }
                }
                break;
            }
        }
    }
    how
}

fn score(m: &Model, w: &str, p: &str, e: &str, buf: &mut String) -> i32 {
    let s = &w[p.len()..w.len() - e.len()];
    restore_stem(m, p, s, e, buf);
    let rs: &str = buf;
    let fl = match (p.is_empty(), e.is_empty()) {
        (true, true) => "--",
        (false, true) => "P-",
        (true, false) => "-E",
        (false, false) => "PE",
    };
    let bw = bucket(m, w);
    let bs = bucket(m, rs);
    let first = |k: usize| s.char_indices().nth(k).map_or(s.len(), |(i, _)| i);
    let n = s.chars().count();
    let last = |k: usize| {
        if n <= k {
            0
        } else {
            s.char_indices().nth(n - k).map_or(0, |(i, _)| i)
        }
    };
    let feats = [
        Fnv::new().str("p:").str(p),
        Fnv::new().str("e:").str(e),
        Fnv::new().str("pe:").str(p).str("|").str(e),
        Fnv::new().str("w:").str(w).str("|").str(p).str("|").str(e),
        Fnv::new().str("s:").str(rs).str("|").str(fl),
        Fnv::new().str("sf:").str(&s[..first(2)]).str("|").str(p),
        Fnv::new().str("sf1:").str(&s[..first(1)]).str("|").str(p),
        Fnv::new().str("sl:").str(&s[last(2)..]).str("|").str(e),
        Fnv::new().str("sl1:").str(&s[last(1)..]).str("|").str(e),
        Fnv::new()
            .str("ln:")
            .num(n.min(9) as u32)
            .str("|")
            .str(p)
            .str("|")
            .str(e),
        Fnv::new().str("lx:").num(bs).str("|").str(fl),
        Fnv::new()
            .str("lxw:")
            .num(bw)
            .str("|")
            .num(bs)
            .str("|")
            .str(fl),
        Fnv::new()
            .str("lxp:")
            .num(bs)
            .str("|")
            .str(p)
            .str("|")
            .str(e),
    ];
    feats
        .iter()
        .map(|h| i32::from(m.weights[(h.0 & m.mask) as usize]))
        .sum()
}

#[inline]
fn is_mark(c: char) -> bool {
    if ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c) {
        return false;
    }
    // Arabic harakat and Quranic marks, superscript alef, tatweel; plus any combining mark.
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}')
        || unicode_properties::UnicodeGeneralCategory::general_category(c)
            == unicode_properties::GeneralCategory::NonspacingMark
}

/// Cut `word` (one token of the `words` scheme) into proclitics, stem and enclitic, appending
/// the pieces (byte ranges of `word`) to `out`. A word that is not split gives one stem piece.
pub fn segment(word: &str, style: CliticStyle, out: &mut Vec<Part>) {
    let stem_only = |out: &mut Vec<Part>| {
        out.push(Part {
            start: 0,
            end: word.len(),
            kind: Kind::Stem,
            restore: None,
        })
    };
    thread_local! {
        static STATE: std::cell::RefCell<(String, HashMap<u64, Decision, BuildFnv>)> =
            const { std::cell::RefCell::new((String::new(), HashMap::with_hasher(BuildFnv))) };
    }
    // Skeleton: letters only, with the byte offset of each letter in `word`.
    let mut n = 0;
    let mut h = Fnv::new();
    let mut first = ' ';
    let mut last = ' ';
    for c in word.chars() {
        if is_mark(c) {
            continue;
        }
        let c = if c == '\u{0671}' { 'ا' } else { c };
        if !('\u{0621}'..='\u{064A}').contains(&c) {
            return stem_only(out);
        }

        n += 1;
        let mut b = [0u8; 4];
        h = h.bytes(c.encode_utf8(&mut b).as_bytes());
        if n == 1 {
            first = c;
        }
        last = c;
    }
    if n < 2 {
        return stem_only(out);
    }
    let could_pro = matches!(first, 'و' | 'ف' | 'ب' | 'ك' | 'ل' | 'س' | 'أ');
    let could_enc = matches!(last, 'ي' | 'ا' | 'ك' | 'ه' | 'م' | 'ن');
    if !(could_pro || could_enc) {
        return stem_only(out);
    }
    // Decisions are cached per thread by skeleton (text is Zipfian: most words repeat); the
    // cache is emptied when it reaches `CACHE_MAX` entries, so memory stays bounded.
    let d = STATE.with(|st| {
        let mut st = st.borrow_mut();
        if let Some(d) = st.1.get(&h.0) {
            return *d;
        }
        let (skel, cache) = &mut *st;
        skel.clear();
        skel.extend(
            word.chars()
                .filter(|&c| !is_mark(c))
                .map(|c| if c == '\u{0671}' { 'ا' } else { c }),
        );
        let d = decide(skel, n);
        if cache.len() >= CACHE_MAX {
            cache.clear();
        }
        cache.insert(h.0, d);
        d
    });
    if d.p == 0 && d.e == 0 {
        return stem_only(out);
    }
    let (best_p, best_e) = (CHAINS[d.p as usize], ENCLITICS[d.e as usize]);
    // Byte offset of each letter, for the split words only.
    let offs: Vec<usize> = word
        .char_indices()
        .filter(|&(_, c)| !is_mark(c))
        .map(|(i, _)| i)
        .collect();
    let pc = best_p.chars().count();
    let ec = best_e.chars().count();
    // Proclitics: one letter each (with its diacritics).
    // A piece starts at its first letter; the first piece also takes any marks before it.
    let at = |k: usize| {
        if k == 0 {
            0
        } else if k >= n {
            word.len()
        } else {
            offs[k]
        }
    };
    for k in 0..pc {
        out.push(Part {
            start: at(k),
            end: at(k + 1),
            kind: Kind::Pro,
            restore: None,
        });
    }
    let stem_start = at(pc);
    let stem_end = at(n - ec);
    if stem_end > stem_start {
        let mut restore = d.restore;
        let stem_chars = n - pc - ec;
        let mut s0 = stem_start;
        if style == CliticStyle::D3 {
            let stem_text: String = word[stem_start..stem_end]
                .chars()
                .filter(|&c| !is_mark(c))
                .collect();
            let rs_starts_al = restore == Some(Restore::Alef) || stem_text.starts_with("ال");
            let skel_after = if restore == Some(Restore::Alef) {
                stem_chars.saturating_sub(1)
            } else {
                stem_chars.saturating_sub(2)
            };
            if rs_starts_al && skel_after >= 2 && !is_al_exception(&stem_text) {
                // The article's letters on the surface: ال, or just ل after ل (alef dropped).
                let k = if restore == Some(Restore::Alef) { 1 } else { 2 };
                let e0 = at(pc + k);
                out.push(Part {
                    start: s0,
                    end: e0,
                    kind: Kind::Pro,
                    restore: restore.filter(|r| *r == Restore::Alef),
                });
                s0 = e0;
                if restore == Some(Restore::Alef) {
                    restore = None;
                }
            }
        }
        out.push(Part {
            start: s0,
            end: stem_end,
            kind: Kind::Stem,
            restore,
        });
    }
    if ec > 0 {
        out.push(Part {
            start: stem_end,
            end: word.len(),
            kind: Kind::Enc,
            restore: None,
        });
    }
}

/// Entries of the per-thread decision cache before it is emptied.
const CACHE_MAX: usize = 1 << 18;

/// The split chosen for a skeleton: indexes into `CHAINS` and `ENCLITICS`, and the stem's
/// restoration.
#[derive(Debug, Clone, Copy)]
struct Decision {
    p: u8,
    e: u8,
    restore: Option<Restore>,
}

/// Score every candidate split of the skeleton `skel` (`n` letters) and keep the best.
fn decide(skel: &str, n: usize) -> Decision {
    let m = model();
    let mut buf = String::new();
    let mut best: Option<i32> = None;
    let (mut bp, mut be) = (0usize, 0usize);
    let mut ncand = 0;
    for (pi, p) in CHAINS.iter().enumerate() {
        let pc = p.chars().count();
        if !skel.starts_with(p) || pc >= n {
            continue;
        }
        for (ei, e) in ENCLITICS.iter().enumerate() {
            if !e.is_empty() && !skel.ends_with(e) {
                continue;
            }
            let ec = e.chars().count();
            if pc + ec > n {
                continue;
            }
            if n - pc - ec == 0
                && !(pc > 0 && ec > 0 && matches!(p.chars().last(), Some('ب' | 'ل' | 'ك')))
            {
                continue;
            }
            ncand += 1;
            let sc = score(m, skel, p, e, &mut buf);
            if best.is_none_or(|b| sc > b) {
                best = Some(sc);
                bp = pi;
                be = ei;
            }
        }
    }
    if ncand < 2 {
        (bp, be) = (0, 0);
    }
    let restore = if bp == 0 && be == 0 {
        None
    } else {
        let (p, e) = (CHAINS[bp], ENCLITICS[be]);
        restore_stem(m, p, &skel[p.len()..skel.len() - e.len()], e, &mut buf)
    };
    Decision {
        p: bp as u8,
        e: be as u8,
        restore,
    }
}

/// Words that start with ال without an article (relative pronouns, a few verbs).
fn is_al_exception(stem: &str) -> bool {
    matches!(
        stem,
        "الذي"
            | "التي"
            | "الذين"
            | "اللذان"
            | "اللتان"
            | "اللذين"
            | "اللتين"
            | "اللاتي"
            | "اللواتي"
            | "اللائي"
            | "الله"
            | "اللهم"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(w: &str, style: CliticStyle) -> Vec<(String, Kind)> {
        let mut v = Vec::new();
        segment(w, style, &mut v);
        v.iter()
            .map(|p| {
                let s = &w[p.start..p.end];
                (p.restore.map_or(s.to_string(), |r| r.apply(s)), p.kind)
            })
            .collect()
    }

    fn pieces(w: &str) -> Vec<String> {
        seg(w, CliticStyle::Ud)
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    }

    #[test]
    fn pieces_cover_the_word_in_order() {
        for w in [
            "وقال",
            "بالمدينة",
            "للمدينة",
            "مدرستها",
            "كتاب",
            "وَقَالَ",
            "ذهب",
            "a",
            "\u{064B}وقال",
            "\u{064B}كتابهم",
            "بِـالمدينة",
        ] {
            let mut v = Vec::new();
            segment(w, CliticStyle::D3, &mut v);
            let mut at = 0;
            for p in &v {
                assert_eq!(p.start, at, "{w}");
                assert!(p.end > p.start, "{w}");
                at = p.end;
            }
            if !w.is_empty() {
                assert_eq!(at, w.len(), "{w}");
            }
        }
    }

    #[test]
    fn common_clitics() {
        assert_eq!(pieces("وقال"), ["و", "قال"]);
        assert_eq!(pieces("بالمدينة"), ["ب", "المدينة"]);
        assert_eq!(pieces("كتابهم"), ["كتاب", "هم"]);
        assert_eq!(pieces("المدينة"), ["المدينة"]);
        assert_eq!(pieces("قال"), ["قال"]);
        assert_eq!(pieces("وزير"), ["وزير"]);
        assert_eq!(pieces("له"), ["ل", "ه"]);
    }

    #[test]
    fn restoration() {
        assert_eq!(pieces("للمدينة"), ["ل", "المدينة"]);
        assert_eq!(pieces("مدرستها"), ["مدرسة", "ها"]);
        assert_eq!(pieces("عليه"), ["على", "ه"]);
        // A verb's ت is not a ta marbuta.
        assert_eq!(pieces("نشرتها"), ["نشرت", "ها"]);
    }

    #[test]
    fn diacritics_stay_with_their_letter() {
        let w = "وَقَالَ";
        let mut v = Vec::new();
        segment(w, CliticStyle::Ud, &mut v);
        assert_eq!(&w[v[0].start..v[0].end], "وَ");
        assert_eq!(&w[v[1].start..v[1].end], "قَالَ");
    }

    #[test]
    fn d3_splits_the_article() {
        let got: Vec<String> = seg("وبالمدينة", CliticStyle::D3)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(got, ["و", "ب", "ال", "مدينة"]);
        let got: Vec<String> = seg("الذي", CliticStyle::D3)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(got, ["الذي"]);
    }

    #[test]
    fn non_arabic_words_are_not_split() {
        assert_eq!(pieces("book"), ["book"]);
        assert_eq!(pieces("و2"), ["و2"]);
    }
}
