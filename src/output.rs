//! Where data goes: stdout (buffered, closed pipes end quietly) or a file written atomically;
//! checking an output before the work, and removing temporary files when interrupted.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use kalima_frame::{ColumnKind, OutputFormat, RowWriter, Table};

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

/// Write a table row by row (`rows` gives them to a [`RowWriter`] made with `columns`) to
/// `output` (atomically) or to stdout: for tables too big to hold.
pub fn write_rows(
    columns: &[(&str, ColumnKind)],
    format: OutputFormat,
    output: Option<&Path>,
    rows: impl FnOnce(&mut RowWriter<'_>) -> kalima::Result<()>,
) -> Result<()> {
    let write = |out: &mut dyn Write| -> Result<()> {
        let mut w = RowWriter::new(columns, format, out)?;
        rows(&mut w)?;
        w.finish()?;
        Ok(())
    };
    match output {
        Some(path) => {
            let mut tmp = kalima_fs::AtomicFile::create(path)
                .with_context(|| format!("writing {}", path.display()))?;
            write(tmp.file_mut()).with_context(|| format!("writing {}", path.display()))?;
            tmp.commit()
                .with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            write(&mut out).context("writing to stdout")?;
            out.flush().context("writing to stdout")?;
            Ok(())
        }
    }
}

/// Fail now, before any input is read, when `path` could not be written at the end: its
/// folder is missing or not a folder, `path` is a folder, or no file can be made there (the
/// temporary file the output is written through is tried and removed at once).
pub fn check_output(path: &Path) -> Result<()> {
    let dir = kalima_fs::parent_dir(path);
    let shown = path.display();
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            bail!(
                "cannot write {shown}: the folder {} does not exist",
                dir.display()
            )
        }
        Err(e) => bail!("cannot write {shown}: {}", io::Error::from(e.kind())),
        Ok(m) if !m.is_dir() => bail!("cannot write {shown}: {} is not a folder", dir.display()),
        Ok(_) => {}
    }
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        bail!("cannot write {shown}: it is a folder");
    }
    if let Err(e) = kalima_fs::AtomicFile::create(path) {
        bail!("cannot write {shown}: {}", io::Error::from(e.kind()));
    }
    Ok(())
}

/// On SIGINT or SIGTERM: remove every temporary file and folder (outputs being written, a
/// report being built, spilled counts) and exit with 128 + the signal number (130, 143).
/// Outputs that were there before the run stay as they were. The signals are read on a
/// thread of their own (signal-hook), so the clean-up may lock and allocate.
pub fn clean_up_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        // Without the handler the defaults apply: the run stops, its temporary files stay.
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let left = kalima_fs::clean_up_for_exit();
            let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
            eprintln!("\nkalima: interrupted ({name}); temporary files removed");
            for p in left {
                eprintln!("kalima: could not remove {}", p.display());
            }
            std::process::exit(128 + sig);
        }
    });
}

/// When a signal's clean-up is under way, wait for the handler to end the process (with the
/// signal's status) instead of reporting errors it caused or a success it interrupted.
pub fn wait_if_interrupted() {
    if kalima_fs::interrupted() {
        loop {
            std::thread::park();
        }
    }
}
