//! The corpus engine: one pass over a stream of document segments feeds one or more
//! [`Collector`]s, on every worker thread, and their per-worker states merge at the end.
//!
//! The shape follows tantivy's `Collector`/`SegmentCollector`: a collector makes a fresh
//! per-worker state ([`Collector::child`]), folds segments into it ([`Collector::collect`]) and
//! combines the states of all workers ([`Collector::merge`]). A tuple of collectors is a
//! collector, so one read of the corpus feeds several counts (`(a, b)`, `(a, b, c)`).
//!
//! What the engine does once, so no count has to:
//! - **Chunk-spanning context.** A long document arrives in chunks that different threads
//!   count. A collector that looks back over `m` word tokens (n-grams, windows) says so with
//!   [`Collector::context_words`]; each [`Segment`] then carries the tail of its document
//!   before it in [`Segment::context`] (at least `m` word fields), read for context only.
//! - **Whole documents.** A collector that needs a document at once (counts per document or
//!   per sentence) says so with [`Collector::whole_documents`]; the engine joins the chunks.
//! - **Threads.** [`run`] spreads segments over the current rayon pool; [`run_in_order`]
//!   gives them to one state in corpus order (for measures over the token sequence).
//!
//! **Determinism.** Which worker sees which segment depends on scheduling, so
//! [`Collector::merge`] must not depend on the order or number of the states it is given
//! (sums, or a sort by term): then the result is the same for every thread count.
//!
//! # Example
//! ```
//! use kalima_stats::engine::{self, Collector, Segment};
//!
//! /// Characters of the corpus.
//! struct Chars;
//! impl Collector for Chars {
//!     type Child = u64;
//!     type Fruit = u64;
//!     fn child(&self) -> u64 { 0 }
//!     fn collect(&self, n: &mut u64, s: &Segment) { *n += s.text.chars().count() as u64 }
//!     fn merge(&self, ns: Vec<u64>) -> u64 { ns.into_iter().sum() }
//! }
//! /// Documents of the corpus.
//! struct Docs;
//! impl Collector for Docs {
//!     type Child = u64;
//!     type Fruit = u64;
//!     fn child(&self) -> u64 { 0 }
//!     fn collect(&self, n: &mut u64, s: &Segment) { *n += u64::from(s.last) }
//!     fn merge(&self, ns: Vec<u64>) -> u64 { ns.into_iter().sum() }
//! }
//!
//! let segments = vec![
//!     Segment::new(0, true, false, "كتب الولد ".into()),
//!     Segment::new(0, false, true, "الدرس".into()),
//!     Segment::whole(1, "قرأ".into()),
//! ];
//! // One pass, two counts.
//! let (chars, docs) = engine::run(segments.into_iter(), &(Chars, Docs));
//! assert_eq!((chars, docs), (18, 2));
//! ```

use rayon::prelude::*;

use crate::ngram::is_word;

/// A piece of one document, as collectors see it: the whole document, or one chunk of it.
///
/// Chunks of a document come in order with the same [`doc`](Segment::doc); the first has
/// `first`, the last `last` (a whole document has both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// Document number, unique in the stream.
    pub doc: u64,
    /// The document's first segment.
    pub first: bool,
    /// The document's last segment.
    pub last: bool,
    /// A label the caller gives the document (a group's index, for counts per group); the
    /// same on every segment of a document. 0 when unused.
    pub tag: u32,
    /// The document's text just before [`text`](Segment::text) (filled by the engine when a
    /// collector asks for context; empty at a document's start): read for context only,
    /// nothing that ends in it is counted.
    pub context: String,
    /// The text to count.
    pub text: String,
}

impl Segment {
    /// A segment without context or tag.
    pub fn new(doc: u64, first: bool, last: bool, text: String) -> Self {
        Segment {
            doc,
            first,
            last,
            text,
            ..Segment::default()
        }
    }

    /// A whole document.
    pub fn whole(doc: u64, text: String) -> Self {
        Segment::new(doc, true, true, text)
    }

    /// True when this segment is the whole document.
    pub fn is_whole(&self) -> bool {
        self.first && self.last
    }
}

/// One count over the corpus: per-worker state, a fold over segments, a merge.
pub trait Collector: Sync {
    /// The state of one worker.
    type Child: Send;
    /// The merged result.
    type Fruit;

    /// Word tokens of look-back each segment needs in [`Segment::context`] (0: none).
    fn context_words(&self) -> usize {
        0
    }

    /// True when each segment must be a whole document.
    fn whole_documents(&self) -> bool {
        false
    }

    /// A fresh worker state.
    fn child(&self) -> Self::Child;

    /// Count one segment into a worker's state.
    fn collect(&self, child: &mut Self::Child, segment: &Segment);

    /// Combine the states of all workers. Must not depend on their order or number.
    fn merge(&self, children: Vec<Self::Child>) -> Self::Fruit;
}

macro_rules! tuple_collector {
    ($(($t:ident, $i:tt)),+) => {
        impl<$($t: Collector),+> Collector for ($($t,)+) {
            type Child = ($($t::Child,)+);
            type Fruit = ($($t::Fruit,)+);

            fn context_words(&self) -> usize {
                0 $(.max(self.$i.context_words()))+
            }

            fn whole_documents(&self) -> bool {
                false $(|| self.$i.whole_documents())+
            }

            fn child(&self) -> Self::Child {
                ($(self.$i.child(),)+)
            }

            fn collect(&self, child: &mut Self::Child, segment: &Segment) {
                $(self.$i.collect(&mut child.$i, segment);)+
            }

            #[allow(non_snake_case)]
            fn merge(&self, children: Vec<Self::Child>) -> Self::Fruit {
                $(let mut $t = Vec::with_capacity(children.len());)+
                for c in children {
                    $($t.push(c.$i);)+
                }
                ($(self.$i.merge($t),)+)
            }
        }
    };
}

tuple_collector!((A, 0), (B, 1));
tuple_collector!((A, 0), (B, 1), (C, 2));
tuple_collector!((A, 0), (B, 1), (C, 2), (D, 3));

/// A collector made of two closures: `child` makes a worker's state, `collect` counts a
/// segment into it. Its fruit is every worker's state, for the caller to merge (the counts of
/// this crate merge by term strings, after the pass).
pub struct Fold<M, F> {
    make: M,
    fold: F,
    context: usize,
    whole: bool,
}

impl<M, F> std::fmt::Debug for Fold<M, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fold")
            .field("context", &self.context)
            .field("whole", &self.whole)
            .finish_non_exhaustive()
    }
}

impl<C, M, F> Fold<M, F>
where
    C: Send,
    M: Fn() -> C + Sync,
    F: Fn(&mut C, &Segment) + Sync,
{
    /// A collector with per-worker state from `make`, folded by `fold`.
    pub fn new(make: M, fold: F) -> Self {
        Fold {
            make,
            fold,
            context: 0,
            whole: false,
        }
    }

    /// Ask for `m` word tokens of look-back context.
    pub fn with_context(mut self, m: usize) -> Self {
        self.context = m;
        self
    }

    /// Ask for whole documents.
    pub fn whole_documents(mut self) -> Self {
        self.whole = true;
        self
    }
}

impl<C, M, F> Collector for Fold<M, F>
where
    C: Send,
    M: Fn() -> C + Sync,
    F: Fn(&mut C, &Segment) + Sync,
{
    type Child = C;
    type Fruit = Vec<C>;

    fn context_words(&self) -> usize {
        self.context
    }

    fn whole_documents(&self) -> bool {
        self.whole
    }

    fn child(&self) -> C {
        (self.make)()
    }

    fn collect(&self, child: &mut C, segment: &Segment) {
        (self.fold)(child, segment);
    }

    fn merge(&self, children: Vec<C>) -> Vec<C> {
        children
    }
}

/// Run `collector` over `segments` on the current rayon pool (one state per worker).
pub fn run<C: Collector>(
    segments: impl Iterator<Item = Segment> + Send,
    collector: &C,
) -> C::Fruit {
    let children: Vec<C::Child> = prepare(segments, collector)
        .par_bridge()
        .fold(
            || collector.child(),
            |mut child, segment| {
                collector.collect(&mut child, &segment);
                child
            },
        )
        .collect();
    collector.merge(children)
}

/// Run `collector` over `segments` in corpus order, on the calling thread, with one state.
pub fn run_in_order<C: Collector>(
    segments: impl Iterator<Item = Segment> + Send,
    collector: &C,
) -> C::Fruit {
    let mut child = collector.child();
    for segment in prepare(segments, collector) {
        collector.collect(&mut child, &segment);
    }
    collector.merge(vec![child])
}

/// The segments as `collector` wants them: whole documents, or chunks with context.
fn prepare<'a, C: Collector>(
    segments: impl Iterator<Item = Segment> + Send + 'a,
    collector: &C,
) -> Box<dyn Iterator<Item = Segment> + Send + 'a> {
    // One code path for the three shapes; the cost is one virtual call per segment
    // (segments are chunks of up to a megabyte, not tokens).
    if collector.whole_documents() {
        Box::new(whole_documents(segments))
    } else {
        match collector.context_words() {
            0 => Box::new(segments),
            m => Box::new(with_context(segments, m)),
        }
    }
}

/// Join the chunks of each document into one segment.
fn whole_documents(segments: impl Iterator<Item = Segment>) -> impl Iterator<Item = Segment> {
    let mut buf = String::new();
    segments.filter_map(move |s| {
        if s.first {
            buf.clear();
        }
        if s.is_whole() {
            return Some(s);
        }
        buf.push_str(&s.text);
        s.last.then(|| Segment {
            doc: s.doc,
            first: true,
            last: true,
            tag: s.tag,
            context: String::new(),
            text: std::mem::take(&mut buf),
        })
    })
}

/// Give each chunk the tail of its document's text before it: at least `m` word fields.
/// Sequential and cheap: it only scans the ends of chunks.
fn with_context(
    segments: impl Iterator<Item = Segment>,
    m: usize,
) -> impl Iterator<Item = Segment> {
    let mut tail = String::new();
    segments.map(move |mut s| {
        s.context = if s.first {
            String::new()
        } else {
            std::mem::take(&mut tail)
        };
        if !s.last {
            tail = tail_fields(&s.context, &s.text, m);
        }
        s
    })
}

/// The last `m` whitespace-separated fields holding a letter or digit of `prev + text`,
/// with everything after them (so it ends where `text` ends).
fn tail_fields(prev: &str, text: &str, m: usize) -> String {
    let mut seen = 0;
    let bytes = text.as_bytes();
    let mut end = text.len();
    loop {
        let mut i = end;
        while i > 0 && bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        let field_end = i;
        while i > 0 && !bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if is_word(&text[i..field_end]) {
            seen += 1;
            if seen >= m {
                return text[i..].to_string();
            }
        }
        end = i;
    }
    if prev.is_empty() {
        return text.to_string();
    }
    let joined = format!("{prev}{text}");
    tail_fields("", &joined, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what it was given, in a canonical order.
    struct Seen;
    impl Collector for Seen {
        type Child = Vec<(u64, String, String)>;
        type Fruit = Vec<(u64, String, String)>;
        fn context_words(&self) -> usize {
            2
        }
        fn child(&self) -> Self::Child {
            Vec::new()
        }
        fn collect(&self, c: &mut Self::Child, s: &Segment) {
            c.push((s.doc, s.context.clone(), s.text.clone()));
        }
        fn merge(&self, cs: Vec<Self::Child>) -> Self::Fruit {
            let mut all: Vec<_> = cs.into_iter().flatten().collect();
            all.sort();
            all
        }
    }

    struct Whole;
    impl Collector for Whole {
        type Child = Vec<(u64, u32, String)>;
        type Fruit = Vec<(u64, u32, String)>;
        fn whole_documents(&self) -> bool {
            true
        }
        fn child(&self) -> Self::Child {
            Vec::new()
        }
        fn collect(&self, c: &mut Self::Child, s: &Segment) {
            assert!(s.is_whole() && s.context.is_empty());
            c.push((s.doc, s.tag, s.text.clone()));
        }
        fn merge(&self, cs: Vec<Self::Child>) -> Self::Fruit {
            let mut all: Vec<_> = cs.into_iter().flatten().collect();
            all.sort();
            all
        }
    }

    fn chunks() -> Vec<Segment> {
        let mut v = vec![
            Segment::new(0, true, false, "a b ".into()),
            Segment::new(0, false, false, "c ".into()),
            Segment::new(0, false, true, "d e".into()),
            Segment::whole(1, "x y".into()),
        ];
        v.iter_mut().for_each(|s| s.tag = s.doc as u32 + 7);
        v
    }

    #[test]
    fn context_reaches_back_over_chunks_but_not_documents() {
        let got = run_in_order(chunks().into_iter(), &Seen);
        assert_eq!(
            got,
            [
                (0, "".into(), "a b ".into()),
                (0, "a b ".into(), "c ".into()),
                (0, "b c ".into(), "d e".into()),
                (1, "".into(), "x y".into()),
            ]
        );
    }

    #[test]
    fn whole_documents_are_joined_and_keep_their_tag() {
        let got = run(chunks().into_iter(), &Whole);
        assert_eq!(got, [(0, 7, "a b c d e".into()), (1, 8, "x y".into())]);
    }

    #[test]
    fn a_tuple_feeds_both_from_one_pass_for_every_thread_count() {
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let (seen, whole) = pool.install(|| run(chunks().into_iter(), &(Seen, Whole)));
            // The tuple asks for whole documents (one member does), so both see them.
            assert_eq!(whole, [(0, 7, "a b c d e".into()), (1, 8, "x y".into())]);
            assert_eq!(seen.len(), 2);
        }
    }
}
