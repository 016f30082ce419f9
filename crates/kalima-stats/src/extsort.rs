//! External sorting: rows pushed one by one come back in order, in bounded memory.
//!
//! An [`ExtSorter`] holds rows until their estimated size passes its budget, then sorts them
//! and writes them to a run file in a temporary directory ([`SpillDir`]). [`ExtSorter::finish`]
//! gives a [`Sorted`] iterator: the rows in memory when nothing spilled, else a k-way merge of
//! the runs. At most [`FAN_IN`] runs are open at once: past that,
//! the runs so far are merged into one first. Memory is about the budget plus a read buffer
//! per run.
//!
//! The order is a comparison function, not `Ord`, so a caller can sort by a float or by
//! count descending. Rows that compare equal come back in no promised order: give a total
//! order when the output must not depend on the budget.
use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::ngram::SpillDir;

/// Most runs merged at once (each holds a file and a read buffer open).
pub const FAN_IN: usize = 64;
/// Fewest rows in a run, whatever the budget: a budget of a few bytes must not make a file
/// per row.
const MIN_RUN: usize = 64;
/// Read and write buffer of a run.
const RUN_BUF: usize = 1 << 16;

/// A row an [`ExtSorter`] can write to a run file and read back.
pub trait Record: Sized {
    /// Appends the encoded row to `w`.
    fn write_to(&self, w: &mut impl Write) -> io::Result<()>;
    /// Reads one row; `None` at the end of the run (and only there).
    fn read_from(r: &mut impl BufRead) -> io::Result<Option<Self>>;
    /// Bytes the row holds on the heap (beyond `size_of::<Self>()`), for the budget.
    fn heap_bytes(&self) -> usize;
}

/// What the allocator takes for `len` bytes on the heap: a rounded-up chunk with a header
/// (glibc: 16-byte steps, 32 at least), for [`Record::heap_bytes`]. Counting only `len`
/// would undercount short strings by half.
pub fn alloc_bytes(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        ((len + 8 + 15) & !15).max(32)
    }
}

/// Writes `x` as 8 bytes (little-endian), for [`Record::write_to`].
pub fn put_u64(w: &mut impl Write, x: u64) -> io::Result<()> {
    w.write_all(&x.to_le_bytes())
}

/// Writes `s` with its length, for [`Record::write_to`].
pub fn put_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    put_u64(w, s.len() as u64)?;
    w.write_all(s.as_bytes())
}

/// Reads what [`put_u64`] wrote.
pub fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// Reads what [`put_u64`] wrote, or `None` at the end of the input: the first field of a
/// row, for [`Record::read_from`].
pub fn get_first_u64(r: &mut impl BufRead) -> io::Result<Option<u64>> {
    if r.fill_buf()?.is_empty() {
        return Ok(None);
    }
    get_u64(r).map(Some)
}

/// Reads what [`put_str`] wrote.
pub fn get_str(r: &mut impl Read) -> io::Result<Box<str>> {
    let n = get_u64(r)?;
    let mut buf = Vec::new();
    r.take(n).read_to_end(&mut buf)?;
    if buf.len() as u64 != n {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    String::from_utf8(buf)
        .map(String::into_boxed_str)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// A count and a text: the rows of n-gram and pair tables.
impl Record for (u64, Box<str>) {
    fn write_to(&self, w: &mut impl Write) -> io::Result<()> {
        put_u64(w, self.0)?;
        put_str(w, &self.1)
    }
    fn read_from(r: &mut impl BufRead) -> io::Result<Option<Self>> {
        let Some(n) = get_first_u64(r)? else {
            return Ok(None);
        };
        Ok(Some((n, get_str(r)?)))
    }
    fn heap_bytes(&self) -> usize {
        alloc_bytes(self.1.len())
    }
}

/// Run files of [`Record`]s, each sorted by `cmp`, merged into one sorted stream (ties in
/// file order); each file is removed once read to its end.
pub fn merge_runs<T: Record, C: Fn(&T, &T) -> Ordering>(
    runs: Vec<PathBuf>,
    cmp: C,
) -> io::Result<impl Iterator<Item = io::Result<T>>> {
    Merge::new(runs, Vec::new(), cmp)
}

/// Where an [`ExtSorter`] writes its runs.
#[derive(Debug, Clone)]
enum Dir {
    /// A folder made on the first spill, under this parent (the system's temp dir: `None`).
    Later(Option<PathBuf>),
    /// A folder already made (shared with the counting tables).
    Made(Arc<SpillDir>),
}

/// Sorts rows in bounded memory; see the [module docs](self).
#[derive(Debug)]
pub struct ExtSorter<T, C> {
    cmp: C,
    rows: Vec<T>,
    heap_bytes: usize,
    budget: usize,
    dir: Dir,
    runs: Vec<PathBuf>,
    /// Runs written in all (intermediate merges count their inputs).
    spilled: usize,
}

impl<T: Record, C: Fn(&T, &T) -> Ordering + Clone> ExtSorter<T, C> {
    /// A sorter by `cmp` holding about `budget` bytes of rows; runs go to a new folder
    /// under `parent` (the system's temporary folder when `None`), made only if needed.
    pub fn new(budget: usize, parent: Option<PathBuf>, cmp: C) -> Self {
        Self::with(budget, Dir::Later(parent), cmp)
    }

    /// A sorter like [`ExtSorter::new`] that writes its runs to `dir`.
    pub fn in_dir(budget: usize, dir: Arc<SpillDir>, cmp: C) -> Self {
        Self::with(budget, Dir::Made(dir), cmp)
    }

    fn with(budget: usize, dir: Dir, cmp: C) -> Self {
        ExtSorter {
            cmp,
            rows: Vec::new(),
            heap_bytes: 0,
            budget,
            dir,
            runs: Vec::new(),
            spilled: 0,
        }
    }

    /// Bytes held: the rows' vector (as allocated) and what they hold on the heap.
    fn held(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<T>() + self.heap_bytes
    }

    /// Adds a row; writes a run when the rows held pass the budget, or would when the
    /// vector grows (while it moves, the old and the new allocation are both held).
    pub fn push(&mut self, row: T) -> io::Result<()> {
        let size = std::mem::size_of::<T>();
        let full = self.rows.len() == self.rows.capacity();
        let growth = if full {
            (self.rows.capacity().max(4) * 2) * size
        } else {
            0
        };
        if self.rows.len() >= MIN_RUN && self.held() + growth > self.budget {
            self.spill()?;
        }
        self.heap_bytes += row.heap_bytes();
        self.rows.push(row);
        Ok(())
    }

    /// Rows pushed so far that are still in memory.
    pub fn len_in_memory(&self) -> usize {
        self.rows.len()
    }

    fn dir(&mut self) -> io::Result<Arc<SpillDir>> {
        if let Dir::Later(parent) = &self.dir {
            self.dir = Dir::Made(Arc::new(SpillDir::new(parent.as_deref())?));
        }
        match &self.dir {
            Dir::Made(d) => Ok(d.clone()),
            Dir::Later(_) => unreachable!("made above"),
        }
    }

    fn spill(&mut self) -> io::Result<()> {
        let mut rows = std::mem::take(&mut self.rows);
        self.heap_bytes = 0;
        let cmp = &self.cmp;
        // Unstable: a stable sort would take half the rows again as a buffer.
        rows.sort_unstable_by(|a, b| cmp(a, b));
        let path = self.dir()?.run_path();
        let mut w = BufWriter::with_capacity(RUN_BUF, File::create(&path)?);
        for r in &rows {
            r.write_to(&mut w)?;
        }
        w.flush()?;
        drop(rows);
        self.runs.push(path);
        self.spilled += 1;
        if self.runs.len() >= FAN_IN {
            // Merge what is on disk into one run, so the final merge opens few files.
            let runs = std::mem::take(&mut self.runs);
            let path = self.dir()?.run_path();
            let merged = Merge::new(runs, Vec::new(), self.cmp.clone())?;
            let mut w = BufWriter::with_capacity(RUN_BUF, File::create(&path)?);
            for r in merged {
                r?.write_to(&mut w)?;
            }
            w.flush()?;
            self.runs.push(path);
        }
        Ok(())
    }

    /// The rows in order. When runs were written, the rows still held go to a run too, so
    /// that reading the merge holds no more than a buffer per run (the reader may sort
    /// something else within the same budget meanwhile).
    pub fn finish(mut self) -> io::Result<Sorted<T, C>> {
        if !self.runs.is_empty() && !self.rows.is_empty() {
            self.spill()?;
        }
        let cmp = &self.cmp;
        self.rows.sort_unstable_by(|a, b| cmp(a, b));
        let runs = self.spilled;
        let src = if self.runs.is_empty() {
            Src::Mem(self.rows.into_iter())
        } else {
            Src::Merge(Merge::new(self.runs, self.rows, self.cmp)?)
        };
        let dir = match self.dir {
            Dir::Made(d) => Some(d),
            Dir::Later(_) => None,
        };
        Ok(Sorted {
            src,
            runs,
            _dir: dir,
        })
    }
}

/// The rows of an [`ExtSorter`] in order; see [`ExtSorter::finish`].
#[derive(Debug)]
pub struct Sorted<T, C> {
    src: Src<T, C>,
    runs: usize,
    /// Keeps the run folder until the rows are read.
    _dir: Option<Arc<SpillDir>>,
}

impl<T, C> Sorted<T, C> {
    /// Sorted runs written to temporary files (0 when everything fit in the budget).
    pub fn runs(&self) -> usize {
        self.runs
    }
}

#[derive(Debug)]
enum Src<T, C> {
    Mem(std::vec::IntoIter<T>),
    Merge(Merge<T, C>),
}

impl<T: Record, C: Fn(&T, &T) -> Ordering> Iterator for Sorted<T, C> {
    type Item = io::Result<T>;
    fn next(&mut self) -> Option<io::Result<T>> {
        match &mut self.src {
            Src::Mem(it) => it.next().map(Ok),
            Src::Merge(m) => m.next(),
        }
    }
}

/// One input of a merge: a run file (removed when read to the end) or sorted rows in memory.
#[derive(Debug)]
enum Input<T> {
    File(BufReader<File>, PathBuf),
    Mem(std::vec::IntoIter<T>),
}

impl<T: Record> Input<T> {
    fn next(&mut self) -> io::Result<Option<T>> {
        match self {
            Input::Mem(it) => Ok(it.next()),
            Input::File(r, path) => {
                let row = T::read_from(r)?;
                if row.is_none() {
                    let _ = std::fs::remove_file(&*path);
                }
                Ok(row)
            }
        }
    }
}

/// A k-way merge: a binary min-heap of (row, input) by `cmp`, then input index.
#[derive(Debug)]
struct Merge<T, C> {
    cmp: C,
    inputs: Vec<Input<T>>,
    heap: Vec<(T, usize)>,
    failed: bool,
}

impl<T: Record, C: Fn(&T, &T) -> Ordering> Merge<T, C> {
    fn new(runs: Vec<PathBuf>, rows: Vec<T>, cmp: C) -> io::Result<Self> {
        let mut inputs = Vec::with_capacity(runs.len() + 1);
        for p in runs {
            inputs.push(Input::File(
                BufReader::with_capacity(RUN_BUF, File::open(&p)?),
                p,
            ));
        }
        if !rows.is_empty() {
            inputs.push(Input::Mem(rows.into_iter()));
        }
        let mut m = Merge {
            cmp,
            heap: Vec::with_capacity(inputs.len()),
            inputs,
            failed: false,
        };
        for i in 0..m.inputs.len() {
            if let Some(r) = m.inputs[i].next()? {
                m.heap.push((r, i));
                let last = m.heap.len() - 1;
                m.up(last);
            }
        }
        Ok(m)
    }

    fn less(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.heap[a], &self.heap[b]);
        (self.cmp)(&x.0, &y.0).then(x.1.cmp(&y.1)) == Ordering::Less
    }

    fn up(&mut self, mut i: usize) {
        while i > 0 {
            let p = (i - 1) / 2;
            if !self.less(i, p) {
                break;
            }
            self.heap.swap(i, p);
            i = p;
        }
    }

    fn down(&mut self, mut i: usize) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut m = i;
            if l < self.heap.len() && self.less(l, m) {
                m = l;
            }
            if r < self.heap.len() && self.less(r, m) {
                m = r;
            }
            if m == i {
                return;
            }
            self.heap.swap(i, m);
            i = m;
        }
    }
}

impl<T: Record, C: Fn(&T, &T) -> Ordering> Iterator for Merge<T, C> {
    type Item = io::Result<T>;
    fn next(&mut self) -> Option<io::Result<T>> {
        if self.failed || self.heap.is_empty() {
            return None;
        }
        let i = self.heap[0].1;
        let row = match self.inputs[i].next() {
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
            // The input's next row takes the top's place.
            Ok(Some(next)) => std::mem::replace(&mut self.heap[0], (next, i)).0,
            Ok(None) => {
                let last = self.heap.len() - 1;
                self.heap.swap(0, last);
                self.heap.pop().expect("not empty").0
            }
        };
        self.down(0);
        Some(Ok(row))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    type Row = (u64, Box<str>);

    fn by_count_desc(a: &Row, b: &Row) -> Ordering {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
    }

    fn sorted(rows: &[Row], budget: usize) -> (Vec<Row>, usize) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ExtSorter::new(budget, Some(dir.path().into()), by_count_desc);
        for r in rows {
            s.push(r.clone()).unwrap();
        }
        let out = s.finish().unwrap();
        let runs = out.runs();
        let v = out.collect::<io::Result<Vec<_>>>().unwrap();
        // Every run file is gone once read (the folder itself goes with the sorter).
        let left: usize = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|d| std::fs::read_dir(d.unwrap().path()).map_or(0, |r| r.count()))
            .sum();
        assert_eq!(left, 0, "run files left behind");
        (v, runs)
    }

    fn rows() -> impl Strategy<Value = Vec<Row>> {
        prop::collection::vec(
            (0u64..20, "[a-cك \u{0}]{0,4}").prop_map(|(n, s)| (n, s.into_boxed_str())),
            0..3000,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn any_budget_gives_the_plain_sort(rows in rows(), budget in prop_oneof![Just(0usize), 1usize..50_000, Just(usize::MAX)]) {
            let mut want = rows.clone();
            want.sort_by(by_count_desc);
            let (got, runs) = sorted(&rows, budget);
            prop_assert_eq!(got, want);
            if budget == usize::MAX {
                prop_assert_eq!(runs, 0);
            }
        }
    }

    #[test]
    fn tiny_budgets_spill_and_merge_in_passes() {
        // More runs than FAN_IN: at least one intermediate merge.
        let rows: Vec<Row> = (0..(MIN_RUN * (FAN_IN + 5)) as u64)
            .map(|i| (i * 7919 % 101, format!("t{}", i % 13).into_boxed_str()))
            .collect();
        let mut want = rows.clone();
        want.sort_by(by_count_desc);
        let (got, runs) = sorted(&rows, 1);
        assert!(runs > FAN_IN, "{runs} runs");
        assert_eq!(got, want);
    }

    #[test]
    fn a_truncated_run_is_an_error_not_a_panic() {
        let mut r = io::Cursor::new(Vec::new());
        (5u64, Box::<str>::from("abc")).write_to(&mut r).unwrap();
        let mut bytes = r.into_inner();
        bytes.pop();
        let got = <Row as Record>::read_from(&mut io::Cursor::new(bytes));
        assert_eq!(got.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        assert!(
            <Row as Record>::read_from(&mut io::Cursor::new(Vec::new()))
                .unwrap()
                .is_none()
        );
    }
}
