//! `kalima dispersion`: how evenly each term is spread over the documents or over N
//! equal-sized parts of the corpus (`kalima_stats::dispersion`).
//!
//! Two passes over the inputs, no frequency vectors kept: pass 1 counts the terms in parallel
//! (frequencies `f`, corpus size `N`); pass 2 streams the tokens in order and adds each part's
//! counts to per-term running sums ([`PartSums`]) and each occurrence to per-term gap sums
//! ([`Gaps`], for ARF and ALDF). Memory: a few numbers per kept term plus one part's counts.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args as ClapArgs;
use hashbrown::HashMap;
use kalima_frame::Table;
use kalima_stats::Vocab;
use kalima_stats::dispersion::{Gaps, PartSums};
use kalima_text::{Normalizer, Scratch};

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, count_terms, thread_pool};
use crate::output::{choose_format, write_table};

/// How the corpus is cut into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// One part per document.
    Doc,
    /// `n` parts of (nearly) equal token counts, in corpus order.
    Equal(u64),
}

fn parse_parts(s: &str) -> Result<Parts, String> {
    if s == "doc" {
        return Ok(Parts::Doc);
    }
    match s.parse::<u64>() {
        Ok(n) if n >= 1 => Ok(Parts::Equal(n)),
        _ => Err(format!("{s:?}: expected `doc` or a number of parts ≥ 1")),
    }
}

/// Arguments of `kalima dispersion`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives (read twice:
    /// standard input is not accepted)
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Parts: `doc` (each document) or N (N equal-sized chunks of the token stream)
    #[arg(long, value_name = "doc|N", default_value = "doc", value_parser = parse_parts)]
    pub parts: Parts,
    /// Keep only the N most frequent terms (also bounds the memory of pass 2)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Keep only terms seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
}

/// Run `kalima dispersion`.
pub fn run(args: Args) -> Result<Outcome> {
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    // Pass 1: frequencies.
    let pool = thread_pool(args.out.threads)?;
    let counter = count_terms(
        &args.input,
        &args.paths,
        &analyzer,
        &reporter,
        &pool,
        |_| true,
    )?;
    let total = counter.tokens();
    let rows: Vec<_> = counter
        .into_sorted()
        .into_iter()
        .filter(|r| r.count >= args.min_count)
        .take(args.top.unwrap_or(usize::MAX))
        .collect();
    let mut vocab = Vocab::new();
    for r in &rows {
        vocab.intern(&r.term);
    }
    let mut sums: Vec<PartSums> = rows.iter().map(|r| PartSums::new(r.count, total)).collect();
    let mut gaps: Vec<Gaps> = rows.iter().map(|r| Gaps::new(r.count, total)).collect();

    // Pass 2: parts and positions. Messages were given in pass 1.
    let corpus = args.input.open(&args.paths, false, false)?;
    let mut scratch = Scratch::default();
    let mut local: HashMap<u32, u64, foldhash::fast::FixedState> = HashMap::default();
    let mut pos: u64 = 0; // global token position
    let mut part_start: u64 = 0;
    let mut part_index: u64 = 0;
    let (mut parts, mut min_size) = (0usize, u64::MAX);
    // End of the current equal part (exclusive), by global position.
    let bound = |k: u64, n: u64| -> u64 { ((k + 1) as u128 * total as u128 / n as u128) as u64 };
    let mut flush = |local: &mut HashMap<u32, u64, foldhash::fast::FixedState>,
                     size: u64,
                     sums: &mut Vec<PartSums>| {
        if size > 0 {
            parts += 1;
            min_size = min_size.min(size);
        }
        for (&id, &v) in local.iter() {
            sums[id as usize].add(v, size);
        }
        local.clear();
    };
    for ev in corpus {
        let kalima_corpus::Event::Chunk(c) = ev else {
            continue;
        };
        analyzer.for_each_term(&c.text, &mut scratch, |t| {
            if let Parts::Equal(n) = args.parts {
                while part_index < n && pos >= bound(part_index, n) {
                    flush(&mut local, pos - part_start, &mut sums);
                    part_start = pos;
                    part_index += 1;
                }
            }
            if let Some(id) = vocab.get(t) {
                if pos < total {
                    gaps[id as usize].push(pos);
                }
                *local.entry(id).or_insert(0) += 1;
            }
            pos += 1;
        });
        if args.parts == Parts::Doc && c.last {
            flush(&mut local, pos - part_start, &mut sums);
            part_start = pos;
        }
    }
    if pos != total {
        bail!("the inputs changed between the two passes ({total} then {pos} tokens)");
    }
    if let Parts::Equal(n) = args.parts {
        // The remaining parts (the last, and empty ones when there are fewer tokens than parts).
        while part_index < n {
            let end = bound(part_index, n);
            flush(&mut local, end - part_start, &mut sums);
            part_start = end;
            part_index += 1;
        }
    } else if pos > part_start {
        flush(&mut local, pos - part_start, &mut sums);
    }
    let outcome = reporter.finish();
    let min_p = min_size as f64 / total as f64;

    let ds: Vec<_> = sums.iter().map(|s| s.finish(parts, min_p)).collect();
    let col = |f: fn(&kalima_stats::dispersion::Dispersion) -> f64| {
        ds.iter().map(f).collect::<Vec<f64>>()
    };
    let mut t = Table::new();
    t.push_str("term", rows.iter().map(|r| r.term.clone()).collect())
        .push_u64("freq", rows.iter().map(|r| r.count).collect())
        .push_u64("range", ds.iter().map(|d| d.range as u64).collect())
        .push_u64("parts", vec![parts as u64; rows.len()])
        .push_f64("juilland_d", col(|d| d.juilland_d))
        .push_f64("carroll_d2", col(|d| d.carroll_d2))
        .push_f64("lyne_d3", col(|d| d.lyne_d3))
        .push_f64("rosengren_s", col(|d| d.rosengren_s))
        .push_f64("dp", col(|d| d.gries_dp))
        .push_f64("dp_norm", col(|d| d.dp_norm))
        .push_f64("arf", gaps.iter().map(Gaps::arf).collect())
        .push_f64("aldf", gaps.iter().map(Gaps::aldf).collect());
    write_table(&t, format, args.out.output.as_deref())?;
    Ok(outcome)
}
