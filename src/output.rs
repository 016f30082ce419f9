//! Where data goes: stdout (buffered, closed pipes end quietly) or a file written atomically.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use kalima_frame::{OutputFormat, Table};

/// True when `e` comes from writing to a closed pipe (the reader went away: not an error).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<kalima_frame::FrameError>()
                .is_some_and(|f| f.is_broken_pipe())
    })
}

/// The format to write: `--format`, else the output file's extension, else `table` for a
/// terminal and `csv` otherwise.
pub fn choose_format(format: Option<OutputFormat>, output: Option<&Path>) -> Result<OutputFormat> {
    if let Some(f) = format {
        return Ok(f);
    }
    if let Some(p) = output {
        return OutputFormat::from_path(p).with_context(|| {
            format!(
                "cannot tell the output format from {:?}: give --format",
                p.display().to_string()
            )
        });
    }
    Ok(if io::stdout().is_terminal() {
        OutputFormat::Table
    } else {
        OutputFormat::Csv
    })
}

/// Write `table` to `output` (atomically) or to stdout.
pub fn write_table(table: &Table, format: OutputFormat, output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => kalima_frame::write_file_atomic(table, format, path)
            .with_context(|| format!("writing {}", path.display())),
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            kalima_frame::write(table, format, &mut out).context("writing to stdout")?;
            out.flush().context("writing to stdout")?;
            Ok(())
        }
    }
}
