//! How evenly each term is spread over the documents or over N equal-sized parts of the
//! corpus ([`kalima_stats::dispersion`]).
//!
//! Two passes over the inputs, no frequency vectors kept: pass 1 counts the terms in parallel
//! (frequencies `f`, corpus size `N`); pass 2 streams the tokens in corpus order and adds each
//! part's counts to per-term running sums ([`PartSums`]) and each occurrence to per-term gap
//! sums ([`Gaps`], for ARF and ALDF). Memory: a few numbers per kept term plus one part's
//! counts. The inputs are read twice, so standard input cannot be used.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, dispersion::{dispersion, DispersionOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["أ ب".into(), "أ ج".into(), "أ ب".into()]));
//! let d = dispersion(&job, &DispersionOptions::default())?.value;
//! let a = &d.rows[0];
//! assert_eq!((a.term.as_str(), a.freq, a.dispersion.range, d.parts), ("أ", 3, 3, 3));
//! assert!((a.dispersion.juilland_d - 1.0).abs() < 1e-12); // evenly spread
//! let df = d.table().to_dataframe()?; // term, freq, range, parts, juilland_d, …
//! assert_eq!(df.height(), 3);
//! # Ok::<(), kalima::Error>(())
//! ```

use std::str::FromStr;

use kalima_frame::Table;
use kalima_stats::Vocab;
use kalima_stats::count_parallel;
use kalima_stats::dispersion::{Dispersion, Gaps, PartSums};
use kalima_stats::engine::{Ordered, Segment};
use kalima_text::{Normalizer, Scratch};
use serde::{Deserialize, Serialize};

use crate::{Error, Job, Output, Result};

/// How the corpus is cut into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Parts {
    /// One part per document.
    Doc,
    /// `n` parts of (nearly) equal token counts, in corpus order.
    Equal(u64),
}

impl FromStr for Parts {
    type Err = String;

    /// `doc`, or a number of parts ≥ 1.
    fn from_str(s: &str) -> Result<Parts, String> {
        if s == "doc" {
            return Ok(Parts::Doc);
        }
        match s.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(Parts::Equal(n)),
            _ => Err(format!("{s:?}: expected `doc` or a number of parts ≥ 1")),
        }
    }
}

/// Options of [`dispersion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispersionOptions {
    /// Parts: each document, or N equal-sized chunks of the token stream.
    pub parts: Parts,
    /// Keep only the N most frequent terms (also bounds the memory of pass 2).
    pub top: Option<usize>,
    /// Keep only terms seen at least this often.
    pub min_count: u64,
}

impl Default for DispersionOptions {
    fn default() -> Self {
        DispersionOptions {
            parts: Parts::Doc,
            top: None,
            min_count: 1,
        }
    }
}

/// The dispersion of one term.
#[derive(Debug, Clone, PartialEq)]
pub struct DispersionRow {
    /// The term.
    pub term: String,
    /// Its frequency.
    pub freq: u64,
    /// Juilland's D, Carroll's D2, Lyne's D3, Rosengren's S, Gries' DP and DPnorm, and the
    /// range (parts the term occurs in).
    pub dispersion: Dispersion,
    /// Average reduced frequency (Savický & Hlaváčová 2002).
    pub arf: f64,
    /// Average logarithmic distance from the previous occurrence (ALDF).
    pub aldf: f64,
}

/// Dispersion of every kept term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dispersions {
    /// One row per kept term, frequency descending then term by code point.
    pub rows: Vec<DispersionRow>,
    /// Parts of the corpus that hold tokens.
    pub parts: u64,
}

impl Dispersions {
    /// The table `term, freq, range, parts, juilland_d, carroll_d2, lyne_d3, rosengren_s,
    /// dp, dp_norm, arf, aldf`.
    pub fn table(&self) -> Table {
        let rows = &self.rows;
        let col =
            |f: fn(&Dispersion) -> f64| rows.iter().map(|r| f(&r.dispersion)).collect::<Vec<f64>>();
        let mut t = Table::new();
        t.push_str("term", rows.iter().map(|r| r.term.clone()).collect())
            .push_u64("freq", rows.iter().map(|r| r.freq).collect())
            .push_u64(
                "range",
                rows.iter().map(|r| r.dispersion.range as u64).collect(),
            )
            .push_u64("parts", vec![self.parts; rows.len()])
            .push_f64("juilland_d", col(|d| d.juilland_d))
            .push_f64("carroll_d2", col(|d| d.carroll_d2))
            .push_f64("lyne_d3", col(|d| d.lyne_d3))
            .push_f64("rosengren_s", col(|d| d.rosengren_s))
            .push_f64("dp", col(|d| d.gries_dp))
            .push_f64("dp_norm", col(|d| d.dp_norm))
            .push_f64("arf", rows.iter().map(|r| r.arf).collect())
            .push_f64("aldf", rows.iter().map(|r| r.aldf).collect());
        t
    }
}

/// Dispersion of the terms of the job's inputs (light normalization unless the job says
/// otherwise). Pass 1 counts on the job's threads and reports notes and input errors; pass 2
/// reads the inputs again, quietly, looks the tokens up on the job's threads and folds them
/// in corpus order.
pub fn dispersion(job: &Job, opts: &DispersionOptions) -> Result<Output<Dispersions>> {
    let analyzer = job.analyzer(Normalizer::light());
    // Pass 1: frequencies.
    let pool = job.pool()?;
    let segments = job.segments()?;
    let counter = pool.install(|| count_parallel(segments, &analyzer, |_| true));
    let total = counter.tokens();
    let terms: Vec<_> = counter
        .into_sorted()
        .into_iter()
        .filter(|r| r.count >= opts.min_count)
        .take(opts.top.unwrap_or(usize::MAX))
        .collect();
    let mut vocab = Vocab::new();
    for r in &terms {
        vocab.intern(&r.term);
    }
    // Pass 2: parts and positions. Messages were given in pass 1.
    let counts: Vec<u64> = terms.iter().map(|r| r.count).collect();
    // The kept terms of each segment are looked up on the job's threads; parts and
    // positions are folded in corpus order.
    let lookup = Ordered::new(Scratch::default, |scratch, s: &Segment| {
        let mut ids = Vec::new();
        analyzer.for_each_term(&s.text, scratch, |t| {
            ids.push(vocab.get(t).unwrap_or(NOT_KEPT));
        });
        (ids, s.last)
    });
    let mut pass = PartPass::new(&counts, total, opts.parts);
    let again = second_pass(job);
    lookup.for_each(&pool, again.segments()?, |(ids, last)| {
        pass.segment(&ids, last);
    });
    let (parts, sums, gaps) = pass.finish()?;
    let min_p = parts.min_size as f64 / total as f64;
    let rows = terms
        .into_iter()
        .zip(sums.iter().zip(&gaps))
        .map(|(r, (s, g))| DispersionRow {
            term: r.term,
            freq: r.count,
            dispersion: s.finish(parts.count, min_p),
            arf: g.arf(),
            aldf: g.aldf(),
        })
        .collect();
    Ok(job.output(Dispersions {
        rows,
        parts: parts.count as u64,
    }))
}

/// The same inputs, read and analyzed the same way, for a second pass that tells nothing:
/// its notes and input errors were told (and recorded) by the first.
pub(crate) fn second_pass(job: &Job) -> Job<'static> {
    Job::new(job.source.clone())
        .with_read(job.read.clone())
        .with_text(job.text)
}

/// Parts of positive size seen, and the smallest.
#[derive(Debug, Clone, Copy)]
struct PartCount {
    count: usize,
    min_size: u64,
}

/// A token whose term is not kept (below `min_count`, beyond `top`).
const NOT_KEPT: u32 = u32::MAX;

/// The state of pass 2: the current part's counts, per-term sums and gaps, positions.
struct PartPass {
    mode: Parts,
    total: u64,
    sums: Vec<PartSums>,
    gaps: Vec<Gaps>,
    /// The current part's count of each kept term (dense: the fold touches it per token).
    local: Vec<u64>,
    /// The terms counted in the current part, each once.
    touched: Vec<u32>,
    /// Global token position.
    pos: u64,
    part_start: u64,
    part_index: u64,
    parts: PartCount,
}

impl PartPass {
    fn new(counts: &[u64], total: u64, mode: Parts) -> Self {
        PartPass {
            mode,
            total,
            sums: counts.iter().map(|&c| PartSums::new(c, total)).collect(),
            gaps: counts.iter().map(|&c| Gaps::new(c, total)).collect(),
            local: vec![0; counts.len()],
            touched: Vec::new(),
            pos: 0,
            part_start: 0,
            part_index: 0,
            parts: PartCount {
                count: 0,
                min_size: u64::MAX,
            },
        }
    }

    /// End of equal part `k` of `n` (exclusive), by global position.
    fn bound(&self, k: u64, n: u64) -> u64 {
        ((k + 1) as u128 * self.total as u128 / n as u128) as u64
    }

    /// Close the current part, of `size` tokens.
    fn flush(&mut self, size: u64) {
        if size > 0 {
            self.parts.count += 1;
            self.parts.min_size = self.parts.min_size.min(size);
        }
        // Each term's sums take one call per part, so the order of the terms is free.
        for &id in &self.touched {
            let v = std::mem::take(&mut self.local[id as usize]);
            self.sums[id as usize].add(v, size);
        }
        self.touched.clear();
    }

    /// The tokens of one segment, as kept term ids or [`NOT_KEPT`]; `last` ends a document.
    fn segment(&mut self, ids: &[u32], last: bool) {
        for &id in ids {
            if let Parts::Equal(n) = self.mode {
                while self.part_index < n && self.pos >= self.bound(self.part_index, n) {
                    self.flush(self.pos - self.part_start);
                    self.part_start = self.pos;
                    self.part_index += 1;
                }
            }
            if id != NOT_KEPT {
                if self.pos < self.total {
                    self.gaps[id as usize].push(self.pos);
                }
                let v = &mut self.local[id as usize];
                if *v == 0 {
                    self.touched.push(id);
                }
                *v += 1;
            }
            self.pos += 1;
        }
        if self.mode == Parts::Doc && last {
            self.flush(self.pos - self.part_start);
            self.part_start = self.pos;
        }
    }

    fn finish(mut self) -> Result<(PartCount, Vec<PartSums>, Vec<Gaps>)> {
        let (pos, total) = (self.pos, self.total);
        if pos != total {
            return Err(Error::invalid(format!(
                "the inputs changed between the two passes ({total} then {pos} tokens)"
            )));
        }
        if let Parts::Equal(n) = self.mode {
            // The remaining parts (the last, and empty ones when there are fewer tokens than
            // parts).
            while self.part_index < n {
                let end = self.bound(self.part_index, n);
                self.flush(end - self.part_start);
                self.part_start = end;
                self.part_index += 1;
            }
        } else if pos > self.part_start {
            self.flush(pos - self.part_start);
        }
        Ok((self.parts, self.sums, self.gaps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    #[test]
    fn parts_parse() {
        assert_eq!("doc".parse(), Ok(Parts::Doc));
        assert_eq!("7".parse(), Ok(Parts::Equal(7)));
        assert_eq!(
            "0".parse::<Parts>(),
            Err("\"0\": expected `doc` or a number of parts ≥ 1".to_string())
        );
        assert!("x".parse::<Parts>().is_err());
    }

    #[test]
    fn equal_parts_cut_the_token_stream_across_documents() {
        // 6 tokens in 3 parts of 2, across the document boundary.
        let job = Job::new(Source::Texts(vec!["أ ب أ".into(), "ج أ د".into()]));
        let opts = DispersionOptions {
            parts: Parts::Equal(3),
            ..DispersionOptions::default()
        };
        let d = dispersion(&job, &opts).unwrap().value;
        assert_eq!(d.parts, 3);
        let a = &d.rows[0];
        assert_eq!((a.term.as_str(), a.freq, a.dispersion.range), ("أ", 3, 3));
        let by_doc = dispersion(&job, &DispersionOptions::default())
            .unwrap()
            .value;
        assert_eq!(by_doc.parts, 2);
        assert_eq!(by_doc.table().len(), 4);
    }

    #[test]
    fn fewer_tokens_in_pass_two_are_an_error() {
        let pass = PartPass::new(&[2, 1], 3, Parts::Doc);
        let e = pass.finish().unwrap_err();
        assert_eq!(
            e.to_string(),
            "the inputs changed between the two passes (3 then 0 tokens)"
        );
    }

    #[test]
    fn filters_keep_the_most_frequent() {
        let job = Job::new(Source::Texts(vec!["أ ب أ ج أ ب".into()]));
        let opts = DispersionOptions {
            top: Some(2),
            min_count: 2,
            ..DispersionOptions::default()
        };
        let d = dispersion(&job, &opts).unwrap().value;
        let terms: Vec<_> = d.rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["أ", "ب"]);
    }
}
