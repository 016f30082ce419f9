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
//!   gives them to one state in corpus order, on one thread.
//! - **Ordered passes on every core.** Measures over the token sequence (the growth curve,
//!   positions, concordance lines in document order) split into an expensive part per
//!   segment (normalizing, tokenizing, looking up, matching) and a cheap fold that needs
//!   corpus order. [`Ordered`] runs the first on the pool over a bounded read-ahead window
//!   and gives the results to the fold in corpus order, so the fold is exactly the one a
//!   single thread would do. A segment can also carry the start of the text after it
//!   ([`Segment::after`], [`Ordered::with_lookahead`]), for matches that need right context.
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

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// The document's text just after [`text`](Segment::text) (filled by an [`Ordered`] pass
    /// that asks for lookahead; empty at a document's end): read for context only.
    pub after: String,
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

/// Text read ahead per worker thread in one batch of an [`Ordered`] pass: a few reader chunks
/// (1 MiB each by default), so each worker has whole segments to take.
const BATCH_BYTES_PER_THREAD: usize = 1 << 20;

/// Segments in one batch at most, however small they are (one-line documents).
const BATCH_SEGMENTS: usize = 1 << 16;

/// Batches being analysed while the calling thread reads the next one and folds the oldest.
/// Two keep the workers busy across a batch's tail; with the batch being folded, at most
/// three batches (about `3 × threads` MiB of text, plus their results) are in memory.
const BATCHES_IN_FLIGHT: usize = 2;

/// An ordered pass: `map` analyses each segment on the rayon pool (with a per-worker scratch
/// state from `init`), and the results are given to a fold in corpus order, on the calling
/// thread. The fold sees exactly the sequence a one-thread pass would, so its result does not
/// depend on the thread count; only `map` must be a function of the segment alone.
///
/// The reader runs ahead by a bounded window: segments are read in batches of about 1 MiB
/// of text per thread (the first batches smaller), and at most two batches
/// are analysed while the calling thread reads the next one and folds the oldest. Memory is
/// a few batches of text and of results, not the corpus.
///
/// ```
/// use kalima_stats::engine::{Ordered, Segment};
///
/// let segments = vec![
///     Segment::new(0, true, false, "a b ".into()),
///     Segment::new(0, false, true, "c".into()),
///     Segment::whole(1, "d e".into()),
/// ];
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// // Expensive part in parallel: the words of each segment. Fold in order: their positions.
/// let words = Ordered::new(|| (), |_, s: &Segment| s.text.split_whitespace().count());
/// let mut starts = Vec::new();
/// let mut n = 0;
/// words.for_each(&pool, segments.into_iter(), |k| {
///     starts.push(n);
///     n += k;
/// });
/// assert_eq!((starts, n), (vec![0, 2, 3], 5));
/// ```
pub struct Ordered<I, M> {
    init: I,
    map: M,
    shape: Shape,
    /// Text per thread in one batch ([`BATCH_BYTES_PER_THREAD`]; tests make it tiny).
    batch_bytes: usize,
}

impl<I, M> std::fmt::Debug for Ordered<I, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ordered")
            .field("shape", &self.shape)
            .finish_non_exhaustive()
    }
}

impl<S, T, I, M> Ordered<I, M>
where
    T: Send,
    I: Fn() -> S + Sync + Send,
    M: Fn(&mut S, &Segment) -> T + Sync + Send,
{
    /// A pass that maps each segment with `map`, given a worker's state made by `init`.
    pub fn new(init: I, map: M) -> Self {
        Ordered {
            init,
            map,
            shape: Shape::default(),
            batch_bytes: BATCH_BYTES_PER_THREAD,
        }
    }

    /// Ask for `m` word tokens of look-back context ([`Segment::context`]).
    pub fn with_context(mut self, m: usize) -> Self {
        self.shape.context = m;
        self
    }

    /// Ask for `m` word tokens of look-ahead ([`Segment::after`]): at least `m`
    /// whitespace-separated fields holding a letter or digit, or the rest of the document.
    pub fn with_lookahead(mut self, m: usize) -> Self {
        self.shape.lookahead = m;
        self
    }

    /// Ask for whole documents.
    pub fn whole_documents(mut self) -> Self {
        self.shape.whole = true;
        self
    }

    /// Map every segment on `pool` and give the results to `fold` in corpus order.
    pub fn for_each(
        &self,
        pool: &rayon::ThreadPool,
        segments: impl Iterator<Item = Segment> + Send,
        mut fold: impl FnMut(T),
    ) {
        let ControlFlow::Continue(()) = self.try_for_each(pool, segments, |t| {
            fold(t);
            ControlFlow::<std::convert::Infallible>::Continue(())
        });
    }

    /// [`for_each`](Self::for_each) with a fold that may stop the pass (the first `Break`
    /// is returned; segments already read ahead are analysed and dropped, no more are read).
    pub fn try_for_each<B>(
        &self,
        pool: &rayon::ThreadPool,
        segments: impl Iterator<Item = Segment> + Send,
        mut fold: impl FnMut(T) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        let mut segments = self.shape.apply(segments);
        let full = self.batch_bytes * pool.current_num_threads().max(1);
        // The first batch is one thread's share, then batches double up to every thread's:
        // the first results (a concordance's first lines, a `--limit` reached early) come
        // after one chunk's work, not a whole window's.
        let mut batch_bytes = self.batch_bytes;
        let mut next_batch = || -> Vec<Segment> {
            let (mut batch, mut bytes) = (Vec::new(), 0);
            while bytes < batch_bytes && batch.len() < BATCH_SEGMENTS {
                let Some(s) = segments.next() else { break };
                bytes += s.context.len() + s.text.len() + s.after.len();
                batch.push(s);
            }
            batch_bytes = (2 * batch_bytes).min(full);
            batch
        };
        // Set when the fold stops the pass: batches in flight skip what they have not begun.
        let stopped = AtomicBool::new(false);
        let map_batch = |batch: Vec<Segment>| -> Option<Vec<T>> {
            batch
                .par_iter()
                .map_init(&self.init, |state, s| {
                    (!stopped.load(Ordering::Relaxed)).then(|| (self.map)(state, s))
                })
                .collect()
        };
        let mut fold_all = |results: Option<Vec<T>>| {
            for t in results.into_iter().flatten() {
                if let ControlFlow::Break(b) = fold(t) {
                    stopped.store(true, Ordering::Relaxed);
                    return ControlFlow::Break(b);
                }
            }
            ControlFlow::Continue(())
        };
        if pool.current_thread_index().is_some() {
            // Called from one of the pool's own workers: blocking it while others work could
            // leave no thread to do the work (one thread), so batch by batch, without overlap.
            loop {
                let batch = next_batch();
                if batch.is_empty() {
                    return ControlFlow::Continue(());
                }
                fold_all(pool.install(|| map_batch(batch)))?;
            }
        }
        pool.in_place_scope(|scope| {
            let mut in_flight = std::collections::VecDeque::with_capacity(BATCHES_IN_FLIGHT);
            let mut read_all = false;
            loop {
                while !read_all && in_flight.len() < BATCHES_IN_FLIGHT {
                    let batch = next_batch();
                    if batch.is_empty() {
                        read_all = true;
                        break;
                    }
                    let (tx, rx) = std::sync::mpsc::sync_channel(1);
                    let map_batch = &map_batch;
                    scope.spawn(move |_| {
                        // The receiver is gone only when the fold stopped the pass.
                        let _ = tx.send(map_batch(batch));
                    });
                    in_flight.push_back(rx);
                }
                let Some(rx) = in_flight.pop_front() else {
                    return ControlFlow::Continue(());
                };
                // An error here means the batch's job panicked: the scope re-raises the
                // panic when it ends.
                let Ok(results) = rx.recv() else {
                    return ControlFlow::Continue(());
                };
                fold_all(results)?;
            }
        })
    }
}

/// What a pass asks of the segments: whole documents, or chunks with context before and
/// after.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    whole: bool,
    context: usize,
    lookahead: usize,
}

impl Shape {
    /// `segments` in this shape.
    fn apply<'a>(
        self,
        segments: impl Iterator<Item = Segment> + Send + 'a,
    ) -> Box<dyn Iterator<Item = Segment> + Send + 'a> {
        // One code path for every shape; the cost is one virtual call per segment
        // (segments are chunks of up to a megabyte, not tokens).
        if self.whole {
            return Box::new(whole_documents(segments));
        }
        let segments: Box<dyn Iterator<Item = Segment> + Send + 'a> = match self.context {
            0 => Box::new(segments),
            m => Box::new(with_context(segments, m)),
        };
        match self.lookahead {
            0 => segments,
            m => Box::new(WithLookahead {
                segments,
                ahead: std::collections::VecDeque::new(),
                m,
            }),
        }
    }
}

/// The segments as `collector` wants them: whole documents, or chunks with context.
fn prepare<'a, C: Collector>(
    segments: impl Iterator<Item = Segment> + Send + 'a,
    collector: &C,
) -> Box<dyn Iterator<Item = Segment> + Send + 'a> {
    Shape {
        whole: collector.whole_documents(),
        context: collector.context_words(),
        lookahead: 0,
    }
    .apply(segments)
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
            text: std::mem::take(&mut buf),
            ..Segment::default()
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

/// Gives each chunk the start of its document's text after it ([`Segment::after`]): at least
/// `m` word fields, or the rest of the document. Reads the following chunks ahead (a few, when
/// chunks are tiny) and keeps them for their own turn.
struct WithLookahead<I> {
    segments: I,
    ahead: std::collections::VecDeque<Segment>,
    m: usize,
}

impl<I: Iterator<Item = Segment>> Iterator for WithLookahead<I> {
    type Item = Segment;

    fn next(&mut self) -> Option<Segment> {
        let mut s = self.ahead.pop_front().or_else(|| self.segments.next())?;
        if s.last {
            return Some(s);
        }
        let mut after = String::new();
        for i in 0.. {
            if i == self.ahead.len() {
                match self.segments.next() {
                    Some(n) => self.ahead.push_back(n),
                    None => break,
                }
            }
            let n = &self.ahead[i];
            if n.first {
                // A document cut short (an input error): nothing of it follows.
                break;
            }
            after.push_str(&n.text);
            if let Some(end) = head_fields(&after, self.m, n.last) {
                after.truncate(end);
                break;
            }
            if n.last {
                break;
            }
        }
        s.after = after;
        Some(s)
    }
}

/// Where the first `m` whitespace-separated fields holding a letter or digit of `text` end,
/// when they are whole: followed by whitespace, or at the end of the document (`last`).
fn head_fields(text: &str, m: usize, last: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut seen, mut i) = (0, 0);
    while seen < m {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if start == i || (i == bytes.len() && !last) {
            return None;
        }
        seen += usize::from(is_word(&text[start..i]));
    }
    Some(i)
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

    /// Documents of words `w0 w1 …`, cut into chunks of 1 to 9 words (some ending inside
    /// the whitespace run, some with punctuation-only fields), 3 to 60 words each.
    fn documents() -> Vec<Segment> {
        let mut out = Vec::new();
        let mut x = 12345u64;
        let mut rand = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let mut w = 0;
        for doc in 0..40 {
            let len = 3 + rand(58);
            let words: Vec<String> = (0..len)
                .map(|_| {
                    w += 1;
                    if rand(7) == 0 {
                        "،".into()
                    } else {
                        format!("w{}", w % 97)
                    }
                })
                .collect();
            let mut i = 0;
            let mut pieces = Vec::new();
            while i < words.len() {
                let k = (1 + rand(9) as usize).min(words.len() - i);
                let sep = if rand(2) == 0 { " " } else { "  " };
                pieces.push(words[i..i + k].join(" ") + sep);
                i += k;
            }
            let n = pieces.len();
            for (j, p) in pieces.into_iter().enumerate() {
                let mut s = Segment::new(doc, j == 0, j + 1 == n, p);
                s.tag = doc as u32;
                out.push(s);
            }
        }
        out
    }

    /// The bigrams of words (fields with a letter or digit) that end in the segment's text,
    /// and each with the first word after the segment: needs one word of context and one
    /// of lookahead.
    fn analyse(s: &Segment) -> (u64, Vec<String>, Option<String>) {
        let ctx: Vec<&str> = s
            .context
            .split_whitespace()
            .filter(|f| is_word(f))
            .collect();
        let own: Vec<&str> = s.text.split_whitespace().filter(|f| is_word(f)).collect();
        let mut grams = Vec::new();
        let mut prev = ctx.last().copied();
        for w in &own {
            if let Some(p) = prev {
                grams.push(format!("{p}_{w}"));
            }
            prev = Some(w);
        }
        let next = s
            .after
            .split_whitespace()
            .find(|f| is_word(f))
            .map(str::to_string);
        (s.doc, grams, next)
    }

    #[test]
    fn an_ordered_run_folds_as_run_in_order_for_every_thread_count() {
        // Reference: one state, corpus order (lookahead is not a collector's; it is checked
        // against the next segments below).
        let reference = Fold::new(Vec::new, |v: &mut Vec<(u64, Vec<String>)>, s: &Segment| {
            let (doc, grams, _) = analyse(s);
            v.push((doc, grams));
        })
        .with_context(1);
        let want = run_in_order(documents().into_iter(), &reference)
            .pop()
            .unwrap();
        // The bigrams of each document, whole: nothing lost or counted twice at chunk ends.
        let mut joined = run(documents().into_iter(), &Whole);
        let whole: Vec<(u64, Vec<String>)> = joined
            .drain(..)
            .map(|(doc, _, text)| (doc, analyse(&Segment::whole(doc, text)).1))
            .collect();
        let mut per_doc: Vec<(u64, Vec<String>)> = Vec::new();
        for (doc, g) in &want {
            match per_doc.last_mut() {
                Some((d, all)) if d == doc => all.extend(g.iter().cloned()),
                _ => per_doc.push((*doc, g.clone())),
            }
        }
        assert_eq!(per_doc, whole);

        let segments = documents();
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for batch_bytes in [1, 7, 40, BATCH_BYTES_PER_THREAD] {
                let mut pass = Ordered::new(|| (), |_, s: &Segment| analyse(s))
                    .with_context(1)
                    .with_lookahead(1);
                pass.batch_bytes = batch_bytes;
                let mut got = Vec::new();
                let mut next_words = Vec::new();
                pass.for_each(&pool, segments.clone().into_iter(), |(doc, grams, next)| {
                    got.push((doc, grams));
                    next_words.push(next);
                });
                assert_eq!(got, want, "{threads} threads, batches of {batch_bytes} B");
                // Lookahead: the first word of the following chunks of the same document.
                for (i, s) in segments.iter().enumerate() {
                    let later = segments[i + 1..]
                        .iter()
                        .take_while(|n| n.doc == s.doc)
                        .flat_map(|n| n.text.split_whitespace())
                        .find(|f| is_word(f));
                    assert_eq!(next_words[i].as_deref(), later, "segment {i}");
                }
                // From inside the pool (one of its workers calls), batch by batch.
                let inside = pool.install(|| {
                    let mut v = Vec::new();
                    pass.for_each(&pool, segments.clone().into_iter(), |(d, g, _)| {
                        v.push((d, g));
                    });
                    v
                });
                assert_eq!(inside, want);
            }
        }
    }

    #[test]
    fn a_fold_that_breaks_stops_the_ordered_run() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mut pass = Ordered::new(|| (), |_, s: &Segment| s.doc);
        pass.batch_bytes = 1;
        let mut seen = Vec::new();
        let r = pass.try_for_each(&pool, documents().into_iter(), |doc| {
            seen.push(doc);
            if doc == 3 {
                ControlFlow::Break("stop")
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(r, ControlFlow::Break("stop"));
        assert_eq!(seen.last(), Some(&3));
        assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn lookahead_takes_whole_fields_over_tiny_chunks() {
        let segments = vec![
            Segment::new(0, true, false, "a ".into()),
            Segment::new(0, false, false, "b".into()),
            Segment::new(0, false, false, "c ، d".into()),
            Segment::new(0, false, true, " e".into()),
            Segment::whole(1, "x".into()),
        ];
        let got: Vec<String> = Shape {
            lookahead: 2,
            ..Shape::default()
        }
        .apply(segments.into_iter())
        .map(|s| s.after)
        .collect();
        // "b" + "c" is one field "bc"; "،" is not a word.
        assert_eq!(got, ["bc ، d", "c ، d", " e", "", ""]);
    }
}
