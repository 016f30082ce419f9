//! Terms over time: document dates, periods, and how often a few terms occur per period.
//!
//! One implementation for everything that follows terms through time (`kalima chart
//! timeline` and the report's "terms over time"):
//! - [`DateField`] finds a document's date in its metadata: a named field, or the first of
//!   the usual names ([`DATE_FIELDS`]), document by document.
//! - [`parse_date`] reads the date (ISO `2015-07-21 02:51:32`, `2015/7/31`, RFC 2822
//!   `Mon, 26 Feb 2018 02:20:10 GMT`, `March 2018`, `2015`) into a [`Date`], as precise as
//!   the text is.
//! - [`Period`] turns a date into a period key (`2015-07-21`, `2015-07`, `2015`).
//! - [`Dating`] gives each document its period as its chunks come, in corpus order;
//!   [`Followed`] counts the followed terms in a text; [`PeriodCounts`] sums tokens and
//!   counts per period; [`terms_over_time`] does all of it over a [`Job`].
//! - [`period_positions`], [`break_gaps`] and [`period_ticks`] place periods on a time axis.
//!
//! # Example
//! ```
//! use kalima::time::{Date, Period, parse_date};
//!
//! let d = parse_date("Sun, 18 Feb 2018 21:35:43 +0400").unwrap();
//! assert_eq!(d, Date { year: 2018, month: Some(2), day: Some(18) });
//! assert_eq!(Period::Month.key(&d).as_deref(), Some("2018-02"));
//! // A date without a day has no day period, but a month and a year.
//! let d = parse_date("2015-07").unwrap();
//! assert_eq!(Period::Day.key(&d), None);
//! assert_eq!(Period::Year.key(&d).as_deref(), Some("2015"));
//! ```

use std::collections::HashMap;

use kalima_corpus::Chunk;
use kalima_stats::engine::{Ordered, Segment};
use kalima_text::{Analyzer, Normalizer, Scratch};
use serde::{Deserialize, Serialize};

use crate::{Error, Job, Output, Result};

/// The metadata fields that may hold a document's date, in the order [`DateField::Auto`]
/// tries them.
pub const DATE_FIELDS: [&str; 6] = [
    "date",
    "time",
    "date_extracted",
    "datetime",
    "published",
    "timestamp",
];

/// Where a document's date is: a metadata field (JSON key, CSV column, TREC tag; any case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateField {
    /// The first of [`DATE_FIELDS`] the document has.
    #[default]
    Auto,
    /// This field only.
    Named(String),
}

impl DateField {
    /// The field's name and value in `meta` (a record's fields): for [`DateField::Auto`],
    /// the name is the entry of [`DATE_FIELDS`] found.
    pub fn find<'a, 'm>(&'a self, meta: &'m [(String, String)]) -> Option<(&'a str, &'m str)> {
        let get = |name: &str| {
            meta.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        match self {
            DateField::Named(name) => get(name).map(|v| (name.as_str(), v)),
            DateField::Auto => DATE_FIELDS
                .iter()
                .find_map(|&name| get(name).map(|v| (name, v))),
        }
    }
}

/// A calendar date, as precise as its text: a year, a month when given, a day when given
/// with the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year (four digits in the text).
    pub year: u32,
    /// The month, 1 to 12.
    pub month: Option<u32>,
    /// The day, 1 to 31 (only with a month).
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The month (1–12) a word names by its first three letters (`Feb`, `february`, `MARCH`).
fn month_name(w: &str) -> Option<u32> {
    let m = w.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|&x| x == m).map(|i| i as u32 + 1)
}

fn is_year(w: &str) -> bool {
    w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit())
}

/// The leading ASCII digits of `s` as a number in `range`, and the rest of `s`.
fn leading_number(s: &str, range: std::ops::RangeInclusive<u32>) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u32 = s[..end].parse().ok()?;
    range.contains(&n).then(|| (n, &s[end..]))
}

/// The date at the start of a field, as precise as the text is:
/// - a text that starts with a four-digit year: the year, then a month (1–12) after `-`,
///   `/` or `.`, then a day (1–31) after another of them (`2015-07-21 02:51:32`,
///   `2015/7/31`, `2015.07`, `2015`); a month or day out of range is left out;
/// - else a day, a month name and a four-digit year in a row (RFC 2822
///   `Mon, 26 Feb 2018 02:20:10 GMT`), else a month name and a year (`March 2018`), words
///   split at white space and commas, month names by their first three letters;
/// - else `None`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() >= 4 && is_year(&s[..4]) {
        let mut date = Date {
            year: s[..4].parse().ok()?,
            month: None,
            day: None,
        };
        let seps = ['-', '/', '.'];
        if let Some((m, rest)) = s[4..]
            .strip_prefix(seps)
            .and_then(|r| leading_number(r, 1..=12))
        {
            date.month = Some(m);
            date.day = rest
                .strip_prefix(seps)
                .and_then(|r| leading_number(r, 1..=31))
                .map(|(d, _)| d);
        }
        return Some(date);
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let full = words.windows(3).find_map(|w| {
        let day = w[0].parse::<u32>().ok().filter(|d| (1..=31).contains(d))?;
        let month = month_name(w[1])?;
        is_year(w[2]).then(|| Date {
            year: w[2].parse().unwrap_or_default(),
            month: Some(month),
            day: Some(day),
        })
    });
    full.or_else(|| {
        words.windows(2).find_map(|w| {
            let month = month_name(w[0])?;
            is_year(w[1]).then(|| Date {
                year: w[1].parse().unwrap_or_default(),
                month: Some(month),
                day: None,
            })
        })
    })
}

/// The length of the periods documents are grouped in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    /// Days, `YYYY-MM-DD` (dates without a day have none).
    Day,
    /// Months, `YYYY-MM` (dates without a month have none).
    #[default]
    Month,
    /// Years, `YYYY`.
    Year,
    /// Months, or the year alone for a date without a month (the report's periods).
    MonthOrYear,
}

impl Period {
    /// The key of the period holding `date`, when the date is precise enough.
    pub fn key(self, date: &Date) -> Option<String> {
        let y = date.year;
        match (self, date.month, date.day) {
            (Period::Day, Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (Period::Month | Period::MonthOrYear, Some(m), _) => Some(format!("{y:04}-{m:02}")),
            (Period::Year | Period::MonthOrYear, ..) => Some(format!("{y:04}")),
            _ => None,
        }
    }
}

impl std::str::FromStr for Period {
    type Err = Error;

    /// `day`, `month` or `year`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "day" => Ok(Period::Day),
            "month" => Ok(Period::Month),
            "year" => Ok(Period::Year),
            _ => Err(Error::invalid(format!(
                "unknown period {s:?}: day, month or year"
            ))),
        }
    }
}

/// Gives each document the period of its date, as its chunks come in corpus order; periods
/// are numbered in the order they are first seen.
#[derive(Debug, Clone)]
pub struct Dating {
    field: DateField,
    period: Period,
    ids: HashMap<String, u32>,
    names: Vec<String>,
    /// Periods of documents whose last chunk has not come yet.
    open: HashMap<u64, Option<u32>>,
    documents: u64,
    undated: u64,
    found: Option<String>,
}

impl Dating {
    /// Dates from `field`, grouped by `period`.
    pub fn new(field: DateField, period: Period) -> Self {
        Dating {
            field,
            period,
            ids: HashMap::new(),
            names: Vec::new(),
            open: HashMap::new(),
            documents: 0,
            undated: 0,
            found: None,
        }
    }

    /// The period number of `chunk`'s document (its first chunk holds the metadata); `None`
    /// when it has no date precise enough. Give it every chunk, in corpus order.
    pub fn tag(&mut self, chunk: &Chunk) -> Option<u32> {
        if !chunk.first {
            let p = self.open.get(&chunk.doc).copied().flatten();
            if chunk.last {
                self.open.remove(&chunk.doc);
            }
            return p;
        }
        self.documents += 1;
        let key = self.field.find(&chunk.meta).and_then(|(name, value)| {
            if self.found.is_none() {
                self.found = Some(name.to_string());
            }
            parse_date(value).and_then(|d| self.period.key(&d))
        });
        let p = key.map(|k| {
            let n = self.names.len() as u32;
            *self.ids.entry(k).or_insert_with_key(|k| {
                self.names.push(k.clone());
                n
            })
        });
        if p.is_none() {
            self.undated += 1;
        }
        if !chunk.last {
            self.open.insert(chunk.doc, p);
        }
        p
    }

    /// Period keys by number.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Documents seen.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Documents without a date precise enough for the period.
    pub fn undated(&self) -> u64 {
        self.undated
    }

    /// The date field: the named one, or the first of [`DATE_FIELDS`] a document had.
    pub fn field(&self) -> Option<&str> {
        match &self.field {
            DateField::Named(n) => Some(n),
            DateField::Auto => self.found.as_deref(),
        }
    }
}

/// A few terms to count: each term's index in the list (a term listed twice is counted at
/// its last place).
#[derive(Debug, Clone, Default)]
pub struct Followed {
    index: HashMap<String, usize>,
    len: usize,
}

impl Followed {
    /// Follow `terms` (already normalized like the text).
    pub fn new(terms: &[String]) -> Self {
        Followed {
            index: terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i))
                .collect(),
            len: terms.len(),
        }
    }

    /// The number of terms followed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no term is followed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of `term`, when followed.
    pub fn get(&self, term: &str) -> Option<usize> {
        self.index.get(term).copied()
    }

    /// The tokens of `text`, adding each followed term's occurrences to `counts` (one slot
    /// per term).
    pub fn count(
        &self,
        analyzer: &Analyzer,
        text: &str,
        scratch: &mut Scratch,
        counts: &mut [u64],
    ) -> u64 {
        let mut n = 0u64;
        analyzer.for_each_term(text, scratch, |t| {
            n += 1;
            if let Some(&i) = self.index.get(t) {
                counts[i] += 1;
            }
        });
        n
    }
}

/// Tokens, and occurrences of each followed term, per period number.
#[derive(Debug, Clone, Default)]
pub struct PeriodCounts {
    terms: usize,
    by_period: HashMap<u32, (u64, Vec<u64>)>,
}

/// One period of [`PeriodCounts::rows`].
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRow {
    /// The period key.
    pub period: String,
    /// Tokens of the period's documents.
    pub tokens: u64,
    /// Occurrences of each followed term.
    pub counts: Vec<u64>,
}

impl PeriodRow {
    /// Occurrences of term `i` per million tokens of the period.
    pub fn per_million(&self, i: usize) -> f64 {
        kalima_stats::per_million(self.counts[i], self.tokens)
    }
}

impl PeriodCounts {
    /// Counts for `terms` followed terms.
    pub fn new(terms: usize) -> Self {
        PeriodCounts {
            terms,
            by_period: HashMap::new(),
        }
    }

    /// Add a text of `period` with `tokens` tokens and these term counts (the period is
    /// listed even with no tokens).
    pub fn add(&mut self, period: u32, tokens: u64, counts: &[u64]) {
        let k = self.terms;
        let e = self
            .by_period
            .entry(period)
            .or_insert_with(|| (0, vec![0; k]));
        e.0 += tokens;
        e.1.iter_mut().zip(counts).for_each(|(a, b)| *a += b);
    }

    /// Add `other`'s counts (the result does not depend on the order of merges).
    pub fn merge(&mut self, other: PeriodCounts) {
        for (p, (n, c)) in other.by_period {
            self.add(p, n, &c);
        }
    }

    /// The periods in key order (`names`: keys by period number, from [`Dating::names`]).
    pub fn rows(self, names: &[String]) -> Vec<PeriodRow> {
        let mut rows: Vec<PeriodRow> = self
            .by_period
            .into_iter()
            .map(|(p, (tokens, counts))| PeriodRow {
                period: names[p as usize].clone(),
                tokens,
                counts,
            })
            .collect();
        rows.sort_by(|a, b| a.period.cmp(&b.period));
        rows
    }
}

/// How often terms occur per period of the documents' dates.
#[derive(Debug, Clone, PartialEq)]
pub struct TermsOverTime {
    /// The periods with dated documents, in time order.
    pub rows: Vec<PeriodRow>,
    /// Documents read.
    pub documents: u64,
    /// Documents left out: no date precise enough for the period.
    pub undated: u64,
    /// The date field used (see [`Dating::field`]).
    pub field: Option<String>,
}

/// Tokens and occurrences of `terms` (normalized like the text) per period of the
/// documents' dates (records with metadata: JSON, CSV, TREC), reading the inputs once in
/// corpus order.
///
/// ```
/// use kalima::time::{DateField, Period, terms_over_time};
/// use kalima::{Format, Job, ReadOptions, Source};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("news.jsonl");
/// std::fs::write(&path, concat!(
///     r#"{"date": "2015-07-21", "content": "الرئيس في الرياض"}"#, "\n",
///     r#"{"date": "2015-08-02", "content": "الرئيس"}"#, "\n",
/// )).unwrap();
/// let job = Job::new(Source::Paths(vec![path]))
///     .with_read(ReadOptions { format: Some(Format::Json), ..ReadOptions::default() });
/// let t = terms_over_time(&job, &["الرئيس".into()], &DateField::Auto, Period::Month)?.value;
/// assert_eq!(t.rows.len(), 2);
/// assert_eq!((t.rows[0].period.as_str(), t.rows[0].tokens, t.rows[0].counts[0]), ("2015-07", 3, 1));
/// assert_eq!(t.rows[1].per_million(0), 1e6);
/// # Ok::<(), kalima::Error>(())
/// ```
pub fn terms_over_time(
    job: &Job,
    terms: &[String],
    field: &DateField,
    period: Period,
) -> Result<Output<TermsOverTime>> {
    let analyzer = job.analyzer(Normalizer::light());
    let followed = Followed::new(terms);
    let mut dating = Dating::new(field.clone(), period);
    let segments = job.chunks(true)?.filter_map(|c| {
        let p = dating.tag(&c)?;
        let mut s = Segment::new(c.doc, c.first, c.last, c.text);
        s.tag = p;
        Some(s)
    });
    // Counted on the job's threads, added up in corpus order.
    let count = Ordered::new(Scratch::default, |scratch, s: &Segment| {
        let mut counts = vec![0; followed.len()];
        let n = followed.count(&analyzer, &s.text, scratch, &mut counts);
        (s.tag, n, counts)
    });
    let mut periods = PeriodCounts::new(followed.len());
    count.for_each(&job.pool()?, segments, |(tag, n, counts)| {
        periods.add(tag, n, &counts);
    });
    Ok(job.output(TermsOverTime {
        rows: periods.rows(dating.names()),
        documents: dating.documents(),
        undated: dating.undated(),
        field: dating.field().map(str::to_string),
    }))
}

/// Where sorted period keys go on a time axis: on the calendar (consecutive periods 1
/// apart) when they are all of one kind (years, months or days), else one step each.
pub fn period_positions(keys: &[&str]) -> Vec<f64> {
    let kind = |k: &str| k.split('-').count();
    match keys.first() {
        Some(first) if keys.iter().all(|k| kind(k) == kind(first)) => {
            keys.iter().map(|k| period_ordinal(k)).collect()
        }
        _ => (0..keys.len()).map(|i| i as f64).collect(),
    }
}

/// Time-series points with a NaN (a break in the line) after each period followed by a gap
/// of periods without documents, so the line is not drawn across days with no data.
pub fn break_gaps(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        if let Some(&(px, _)) = out.last()
            && x - px > 1.5
        {
            out.push((px + 1.0, f64::NAN));
        }
        out.push((x, y));
    }
    out
}

/// At most about `max` labels for a time axis, at least 1/`max` of the span apart so that
/// they do not overlap where periods without documents leave gaps.
pub fn period_ticks<'k>(keys: &[&'k str], xs: &[f64], max: usize) -> Vec<(f64, &'k str)> {
    let (Some(first), Some(last)) = (xs.first(), xs.last()) else {
        return Vec::new();
    };
    let gap = (last - first) / max.max(1) as f64;
    let mut out: Vec<(f64, &str)> = Vec::new();
    for (&x, &k) in xs.iter().zip(keys) {
        if out.last().is_none_or(|&(px, _)| x - px >= gap) {
            out.push((x, k));
        }
    }
    out
}

/// A period key (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) as a number that counts years, months or
/// days: consecutive periods differ by 1.
fn period_ordinal(key: &str) -> f64 {
    let mut parts = key.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) => days_from_civil(y, m, d) as f64,
        (Some(y), Some(m), None) => (y * 12 + m - 1) as f64,
        (Some(y), ..) => y as f64,
        _ => 0.0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str, p: Period) -> Option<String> {
        parse_date(s).and_then(|d| p.key(&d))
    }

    #[test]
    fn report_periods_from_dates() {
        let m = Period::MonthOrYear;
        assert_eq!(key("2018-03-05", m).as_deref(), Some("2018-03"));
        assert_eq!(key("2015/7/31 10:00", m).as_deref(), Some("2015-07"));
        assert_eq!(key("2015", m).as_deref(), Some("2015"));
        assert_eq!(key("2015-13-01", m).as_deref(), Some("2015"));
        assert_eq!(
            key("Sun, 18 Feb 2018 21:35:43 +0400", m).as_deref(),
            Some("2018-02")
        );
        assert_eq!(key("March 2018", m).as_deref(), Some("2018-03"));
        assert_eq!(key("yesterday", m), None);
        assert_eq!(key("Mon, 5 Mars", m), None);
    }

    #[test]
    fn chart_dates() {
        let full = |s| parse_date(s).filter(|d| d.day.is_some());
        assert_eq!(
            full("2015-07-21 02:51:32"),
            Some(Date {
                year: 2015,
                month: Some(7),
                day: Some(21)
            })
        );
        assert_eq!(
            full("Mon, 26 Feb 2018 02:20:10 GMT"),
            Some(Date {
                year: 2018,
                month: Some(2),
                day: Some(26)
            })
        );
        assert_eq!(full("2015/13/01"), None);
        assert_eq!(full("yesterday"), None);
        assert_eq!(
            key("2015-07-21", Period::Day).as_deref(),
            Some("2015-07-21")
        );
        assert_eq!(key("2015-07-21", Period::Year).as_deref(), Some("2015"));
        // Partial dates have the coarser periods only.
        assert_eq!(key("2015-07-32", Period::Day), None);
        assert_eq!(key("2015-07-32", Period::Month).as_deref(), Some("2015-07"));
        assert_eq!(key("March 2018", Period::Day), None);
        assert_eq!(key("2015", Period::Month), None);
        assert_eq!(key("2015.7.1", Period::Day).as_deref(), Some("2015-07-01"));
    }

    #[test]
    fn date_fields() {
        let meta = |kv: &[(&str, &str)]| -> Vec<(String, String)> {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let m = meta(&[("DATE_EXTRACTED", "2015-07-21"), ("Time", "2018")]);
        assert_eq!(DateField::Auto.find(&m), Some(("time", "2018")));
        let named = DateField::Named("date_extracted".into());
        assert_eq!(named.find(&m), Some(("date_extracted", "2015-07-21")));
        assert_eq!(DateField::Named("x".into()).find(&m), None);
    }

    #[test]
    fn dating_follows_documents_across_chunks() {
        use std::sync::Arc;
        let source = Arc::new(kalima_corpus::Source {
            path: "x".into(),
            encoding: kalima_corpus::parse_encoding("utf-8").unwrap(),
            format: kalima_corpus::Format::Json,
        });
        let chunk = |doc, first, last, date: Option<&str>| Chunk {
            doc,
            first,
            last,
            text: String::new(),
            ends_line: true,
            offset: 0,
            source: source.clone(),
            meta: date
                .map(|d| vec![("date".to_string(), d.to_string())])
                .unwrap_or_default(),
            name: None,
        };
        let mut d = Dating::new(DateField::Auto, Period::Month);
        assert_eq!(d.tag(&chunk(0, true, false, Some("2016-01-02"))), Some(0));
        assert_eq!(d.tag(&chunk(0, false, true, None)), Some(0));
        assert_eq!(d.tag(&chunk(1, true, true, Some("2015-12-31"))), Some(1));
        assert_eq!(d.tag(&chunk(2, true, true, None)), None);
        assert_eq!(d.tag(&chunk(3, true, true, Some("2016-01-30"))), Some(0));
        assert_eq!(d.names(), ["2016-01", "2015-12"]);
        assert_eq!(
            (d.documents(), d.undated(), d.field()),
            (4, 1, Some("date"))
        );
    }

    #[test]
    fn period_counts_merge_and_sort() {
        let names = vec!["2016".to_string(), "2015".to_string()];
        let mut a = PeriodCounts::new(2);
        a.add(0, 10, &[1, 2]);
        let mut b = PeriodCounts::new(2);
        b.add(0, 5, &[0, 1]);
        b.add(1, 0, &[0, 0]);
        a.merge(b);
        let rows = a.rows(&names);
        assert_eq!(rows[0].period, "2015");
        assert_eq!((rows[1].tokens, rows[1].counts.clone()), (15, vec![1, 3]));
        assert_eq!(rows[1].per_million(1), 200_000.0);
    }

    #[test]
    fn followed_terms_are_counted() {
        let f = Followed::new(&["الولد".into(), "في".into()]);
        let a = Analyzer::new(kalima_text::Scheme::Words, Normalizer::light());
        let mut counts = vec![0; 2];
        let n = f.count(
            &a,
            "الولد في المدرسة، الولد",
            &mut Scratch::default(),
            &mut counts,
        );
        assert_eq!((n, counts), (5, vec![2, 1]));
    }

    #[test]
    fn periods_are_placed_on_the_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 2015-07-31 → 2015-08-01 is one day; 2016 is a leap year.
        assert_eq!(
            period_ordinal("2015-08-01") - period_ordinal("2015-07-31"),
            1.0
        );
        assert_eq!(
            period_ordinal("2016-03-01") - period_ordinal("2016-02-28"),
            2.0
        );
        assert_eq!(period_ordinal("2016-01") - period_ordinal("2015-12"), 1.0);
        assert_eq!(period_ordinal("2016") - period_ordinal("2015"), 1.0);
        assert_eq!(
            period_positions(&["2015-11", "2016-02"]),
            [24190.0, 24193.0]
        );
        assert_eq!(period_positions(&["2015", "2015-07"]), [0.0, 1.0]);
        let b = break_gaps([(0.0, 1.0), (1.0, 2.0), (4.0, 3.0)]);
        assert_eq!(b.len(), 4);
        assert_eq!((b[2].0, b[3]), (2.0, (4.0, 3.0)));
        assert!(b[2].1.is_nan());
        let keys = ["a", "b", "c", "d", "e"];
        let ticks = period_ticks(&keys, &[0.0, 1.0, 2.0, 9.0, 10.0], 5);
        assert_eq!(ticks, [(0.0, "a"), (2.0, "c"), (9.0, "d")]);
    }
}
