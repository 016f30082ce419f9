//! Writing a large table held in memory on every thread of a pool: rows are encoded block by
//! block in parallel, a bounded window of blocks at a time, and written in order, so the bytes
//! are those of one row after another (measures and number formatting are most of the time of
//! writing a table of millions of rows).

use kalima_frame::{RowEncoder, RowWriter};
use rayon::prelude::*;

use crate::Result;

/// Rows per block.
const BLOCK: usize = 1 << 15;

/// Writes `items` to `w` on `pool` when `w` encodes rows line by line; `encode` appends the
/// lines of a block whose first row is row `index` of the table. Returns `false`, having
/// written nothing, when `w` holds its table (Parquet, the terminal table): then the caller
/// writes row by row.
pub(crate) fn write_blocks<T: Sync>(
    w: &mut RowWriter<'_>,
    pool: &rayon::ThreadPool,
    items: &[T],
    encode: impl Fn(&RowEncoder, &[T], u64, &mut Vec<u8>) -> Result<()> + Sync,
) -> Result<bool> {
    let Some(enc) = w.encoder().cloned() else {
        return Ok(false);
    };
    // Two blocks a thread in flight: enough to keep every thread busy, few enough that the
    // encoded bytes waiting to be written stay small (a block is a few MB).
    for window in items.chunks(BLOCK * pool.current_num_threads().max(1) * 2) {
        let first = w.rows_written();
        let blocks: Vec<Result<Vec<u8>>> = pool.install(|| {
            window
                .par_chunks(BLOCK)
                .enumerate()
                .map(|(i, block)| {
                    let mut out = Vec::with_capacity(block.len() * 64);
                    encode(&enc, block, first + (i * BLOCK) as u64, &mut out)?;
                    Ok(out)
                })
                .collect()
        });
        for (block, bytes) in window.chunks(BLOCK).zip(blocks) {
            w.write_encoded(&bytes?, block.len() as u64)?;
        }
    }
    Ok(true)
}
