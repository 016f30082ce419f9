//! From a path or a reader to decoded text: paths and directories, compression (detected by
//! magic bytes), tar archives (by extension or the `ustar` magic), encoding detection, and the
//! choice of format reader.

use std::cell::Cell;
use std::fs;
use std::io::{self, BufReader, Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::decode::{Detected, SNIFF, StreamDecoder, TextReader, detect, read_full};
use crate::event::{ErrorKind, Source, io_message};
use crate::formats;
use crate::options::Format;
use crate::sink::{Ctx, Flow, RAW_BLOCK, TEXT_BLOCK};

/// How deep compressed streams and archives may nest (a `.tar.gz` inside a `.tar.xz` is 4).
const MAX_DEPTH: u32 = 6;

/// Reads every path in order: `-` is standard input, a directory is walked.
pub(crate) fn run_paths(ctx: &mut Ctx, paths: &[PathBuf]) -> Flow {
    for p in paths {
        if p.as_os_str() == "-" {
            process_reader(ctx, "<stdin>", "", &mut io::stdin().lock())?;
            continue;
        }
        let display = p.to_string_lossy().into_owned();
        match fs::metadata(p) {
            Err(e) => ctx.fail(&display, None, None, ErrorKind::io(&e))?,
            Ok(m) if m.is_dir() => {
                let mut seen = false;
                walk_dir(ctx, p, &mut seen)?;
                if !seen {
                    // Else a typo'd or unsynced folder would give an empty table, exit 0.
                    let msg = "no input files in this directory (hidden entries are skipped)";
                    ctx.fail(&display, None, None, ErrorKind::Other(msg.into()))?;
                }
            }
            Ok(_) => process_file(ctx, p, &display, true)?,
        }
        ctx.sink.flush()?;
    }
    Ok(())
}

/// One entry of a directory, to be handled in sorted order.
enum Item {
    File(PathBuf),
    Dir(PathBuf),
    Skip(PathBuf, &'static str),
    Fail(PathBuf, io::Error),
}

/// Walks a directory: entries sorted byte-wise by path (a directory sorts as `name/`), hidden
/// entries and non-files skipped with a note, symbolic links to directories not followed.
/// `seen` is set when a file was read or an error about an entry was reported.
fn walk_dir(ctx: &mut Ctx, dir: &Path, seen: &mut bool) -> Flow {
    let items = match list_dir(dir) {
        Ok(items) => items,
        Err(e) => {
            *seen = true;
            return ctx.fail(&dir.to_string_lossy(), None, None, ErrorKind::io(&e));
        }
    };
    for item in items {
        match item {
            Item::File(p) => {
                *seen = true;
                process_file(ctx, &p, &p.to_string_lossy(), false)?
            }
            Item::Dir(p) => walk_dir(ctx, &p, seen)?,
            Item::Skip(p, why) => ctx.note(&p.to_string_lossy(), why)?,
            Item::Fail(p, e) => {
                *seen = true;
                ctx.fail(&p.to_string_lossy(), None, None, ErrorKind::io(&e))?
            }
        }
    }
    Ok(())
}

/// The entries of a directory as the reader takes them: sorted byte-wise by path (a
/// directory sorts as `name/`), hidden entries and non-files to skip, symbolic links to
/// directories not followed.
fn list_dir(dir: &Path) -> io::Result<Vec<Item>> {
    let mut items: Vec<(Vec<u8>, Item)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                items.push((Vec::new(), Item::Fail(dir.to_path_buf(), e)));
                continue;
            }
        };
        let name = entry.file_name();
        let path = entry.path();
        let mut key = name.as_encoded_bytes().to_vec();
        let item = if key.first() == Some(&b'.') {
            Item::Skip(path, "skipped hidden entry")
        } else {
            match entry.file_type() {
                Err(e) => Item::Fail(path, e),
                Ok(ft) if ft.is_dir() => Item::Dir(path),
                Ok(ft) if ft.is_file() => Item::File(path),
                Ok(ft) if ft.is_symlink() => match fs::metadata(&path) {
                    Ok(m) if m.is_file() => Item::File(path),
                    Ok(m) if m.is_dir() => Item::Skip(path, "skipped symbolic link to a directory"),
                    Ok(_) => Item::Skip(path, "skipped: not a regular file"),
                    Err(e) => Item::Fail(path, e),
                },
                Ok(_) => Item::Skip(path, "skipped: not a regular file"),
            }
        };
        if matches!(item, Item::Dir(_)) {
            key.push(b'/');
        }
        items.push((key, item));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

/// The total size of `paths` (directories walked as the reader walks them) when every file
/// is plain text whose decoded length is about its size: no compressed file or archive (by
/// the magic bytes the reader goes by), no standard input. `None` otherwise, and for nothing.
/// Progress bars use it to show a percentage.
pub fn plain_size<P: AsRef<Path>>(paths: &[P]) -> Option<u64> {
    fn packed(p: &Path) -> bool {
        let mut head = [0u8; 512];
        let n = fs::File::open(p)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        Magic::of(&head[..n]).is_some() || is_tar_header(&head[..n])
    }
    fn size(p: &Path, total: &mut u64) -> Option<()> {
        let meta = fs::metadata(p).ok()?;
        if meta.is_dir() {
            for item in list_dir(p).ok()? {
                match item {
                    Item::File(f) | Item::Dir(f) => size(&f, total)?,
                    Item::Skip(..) => {}
                    Item::Fail(..) => return None,
                }
            }
        } else {
            if !meta.is_file() || packed(p) {
                return None;
            }
            *total += meta.len();
        }
        Some(())
    }
    let mut total = 0;
    for p in paths {
        let p = p.as_ref();
        if p.as_os_str() == "-" {
            return None;
        }
        size(p, &mut total)?;
    }
    (total > 0).then_some(total)
}

/// Reads one file. `explicit`: named by the user (a binary file is then an error, not a note).
pub(crate) fn process_file(ctx: &mut Ctx, path: &Path, display: &str, explicit: bool) -> Flow {
    let mut file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return ctx.fail(display, None, None, ErrorKind::io(&e)),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    guarded(ctx, display, |ctx| {
        process_stream(ctx, display, &name, &mut file, explicit, 0)
    })
}

/// Reads a stream given by the user (standard input or a caller's reader).
pub(crate) fn process_reader(ctx: &mut Ctx, display: &str, name: &str, r: &mut dyn Read) -> Flow {
    guarded(ctx, display, |ctx| {
        process_stream(ctx, display, name, r, true, 0)
    })
}

/// Runs `f`, turning a panic into an error event so that the other inputs are still read.
fn guarded(ctx: &mut Ctx, display: &str, f: impl FnOnce(&mut Ctx) -> Flow) -> Flow {
    match catch_unwind(AssertUnwindSafe(|| f(&mut *ctx))) {
        Ok(flow) => flow,
        Err(panic) => {
            ctx.stream_failed.set(false);
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            ctx.fail(
                display,
                None,
                None,
                ErrorKind::Other(format!(
                    "internal error ({msg}); the rest of this input was skipped"
                )),
            )
        }
    }
}

/// What the first bytes of a stream say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    Gzip,
    Xz,
    Zstd,
    Zip,
    Bzip2,
}

impl Magic {
    fn of(b: &[u8]) -> Option<Magic> {
        if b.starts_with(&[0x1F, 0x8B]) {
            Some(Magic::Gzip)
        } else if b.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
            Some(Magic::Xz)
        } else if b.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
            Some(Magic::Zstd)
        } else if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
            Some(Magic::Zip)
        } else if b.len() >= 6
            && b.starts_with(b"BZh")
            && (b'1'..=b'9').contains(&b[3])
            && (b[4..6] == [0x31, 0x41] || b[4..6] == [0x17, 0x72])
        {
            Some(Magic::Bzip2)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Magic::Gzip => "gzip",
            Magic::Xz => "xz",
            Magic::Zstd => "zstd",
            Magic::Zip => "zip",
            Magic::Bzip2 => "bzip2",
        }
    }
}

/// The name without its compression extension, and whether it names a tar archive.
fn strip_compression(name: &str) -> (String, bool) {
    let lower = name.to_ascii_lowercase();
    for (ext, tar) in [
        (".tgz", true),
        (".txz", true),
        (".tzst", true),
        (".gz", false),
        (".xz", false),
        (".zst", false),
        (".zstd", false),
    ] {
        if lower.ends_with(ext) {
            let stem = &name[..name.len() - ext.len()];
            return if tar {
                (format!("{stem}.tar"), true)
            } else {
                (
                    stem.to_string(),
                    stem.to_ascii_lowercase().ends_with(".tar"),
                )
            };
        }
    }
    (name.to_string(), lower.ends_with(".tar"))
}

/// Counts decompressed bytes and remembers the first failure of the decompressor.
struct Counting<R> {
    inner: R,
    count: u64,
    failed: Rc<Cell<bool>>,
    failure: Option<(u64, String)>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some((_, msg)) = &self.failure {
            return Err(io::Error::other(msg.clone()));
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.count += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            // A stream below this one broke: its owner reports it.
            Err(e) if self.failed.get() => Err(e),
            Err(e) => {
                self.failure = Some((self.count, io_message(&e)));
                self.failed.set(true);
                Err(e)
            }
        }
    }
}

/// Reads a stream: decompresses it when its magic bytes say so, then reads it as a tar
/// archive or as content.
fn process_stream(
    ctx: &mut Ctx,
    display: &str,
    name: &str,
    reader: &mut dyn Read,
    explicit: bool,
    depth: u32,
) -> Flow {
    let mut head = [0u8; 16];
    let n = match read_full(reader, &mut head) {
        (n, None) => n,
        // Too little to be worth reading on its own; the error names the offset.
        (n, Some(e)) => return ctx.read_failed(display, Some(n as u64), &e),
    };
    let head = &head[..n];
    let magic = Magic::of(head);
    let mut chained = Cursor::new(head.to_vec()).chain(reader);
    let (inner_name, tar_by_name) = strip_compression(name);
    match magic {
        None => process_decompressed(
            ctx,
            display,
            name,
            &mut chained,
            explicit,
            depth,
            tar_by_name,
        ),
        Some(m @ (Magic::Zip | Magic::Bzip2)) => {
            let what = format!("{} data is not read; unpack it first", m.name());
            if explicit {
                ctx.fail(display, None, None, ErrorKind::Unsupported(what))
            } else {
                ctx.note(display, format!("skipped: {what}"))
            }
        }
        Some(_) if depth >= MAX_DEPTH => ctx.fail(
            display,
            None,
            None,
            ErrorKind::Unsupported("compressed data nested too deeply".into()),
        ),
        Some(m) => {
            let buffered = BufReader::with_capacity(RAW_BLOCK, chained);
            let inner: Box<dyn Read + '_> = match m {
                Magic::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
                Magic::Xz => Box::new(xz2::bufread::XzDecoder::new_multi_decoder(buffered)),
                _ => match zstd::stream::read::Decoder::with_buffer(buffered) {
                    Ok(d) => Box::new(d),
                    Err(e) => {
                        return ctx.fail(
                            display,
                            Some(0),
                            None,
                            ErrorKind::Decompress {
                                format: m.name(),
                                message: io_message(&e),
                            },
                        );
                    }
                },
            };
            let mut counting = Counting {
                inner,
                count: 0,
                failed: ctx.stream_failed.clone(),
                failure: None,
            };
            let flow = process_decompressed(
                ctx,
                display,
                &inner_name,
                &mut counting,
                explicit,
                depth + 1,
                tar_by_name,
            );
            if let Some((offset, message)) = counting.failure.take() {
                ctx.stream_failed.set(false);
                flow?;
                return ctx.fail(
                    display,
                    Some(offset),
                    None,
                    ErrorKind::Decompress {
                        format: m.name(),
                        message,
                    },
                );
            }
            flow
        }
    }
}

/// `ustar` magic of a tar header.
fn is_tar_header(b: &[u8]) -> bool {
    b.len() >= 512 && &b[257..262] == b"ustar"
}

/// Reads a (decompressed) stream as a tar archive or as content.
fn process_decompressed(
    ctx: &mut Ctx,
    display: &str,
    name: &str,
    reader: &mut dyn Read,
    explicit: bool,
    depth: u32,
    tar_by_name: bool,
) -> Flow {
    let mut raw = ctx.take_raw();
    let (n, failure) = read_full(reader, &mut raw[..SNIFF]);
    // After a read error, what came before it is read as the whole input, then the error is
    // reported.
    let mut nothing: &[u8] = &[];
    let rest: &mut dyn Read = if failure.is_some() {
        &mut nothing
    } else {
        reader
    };
    let flow = if failure.is_some() && n == 0 {
        ctx.put_raw(raw);
        Ok(())
    } else if depth < MAX_DEPTH && (tar_by_name || is_tar_header(&raw[..n])) {
        let prefix = raw[..n].to_vec();
        ctx.put_raw(raw);
        let mut chained = Cursor::new(prefix).chain(rest);
        process_tar(ctx, display, &mut chained, depth)
    } else {
        process_content(ctx, display, name, rest, raw, n, explicit)
    };
    flow?;
    match failure {
        Some(e) => ctx.read_failed(display, Some(n as u64), &e),
        None => Ok(()),
    }
}

/// Reads the members of a tar archive, each as a stream of its own.
fn process_tar(ctx: &mut Ctx, display: &str, reader: &mut dyn Read, depth: u32) -> Flow {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return tar_failed(ctx, display, &e),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => return tar_failed(ctx, display, &e),
        };
        let kind = entry.header().entry_type();
        let member = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let member_display = format!("{display}:{member}");
        if kind.is_dir() {
            continue;
        }
        if !(kind.is_file() || kind.is_contiguous()) {
            if kind.is_symlink() || kind.is_hard_link() {
                ctx.note(&member_display, "skipped: link in archive")?;
            } else if !kind.is_pax_global_extensions() && !kind.is_pax_local_extensions() {
                ctx.note(&member_display, "skipped: not a regular file")?;
            }
            continue;
        }
        let hidden = member
            .split('/')
            .any(|c| c.starts_with('.') && c != "." && c != "..");
        if hidden {
            ctx.note(&member_display, "skipped hidden entry")?;
            continue;
        }
        let base = member.rsplit('/').next().unwrap_or("").to_string();
        process_stream(ctx, &member_display, &base, &mut entry, false, depth + 1)?;
        if ctx.stream_failed.get() {
            // The archive's own stream broke: whoever owns it reports that.
            return Ok(());
        }
    }
    Ok(())
}

fn tar_failed(ctx: &mut Ctx, display: &str, e: &io::Error) -> Flow {
    if ctx.stream_failed.get() {
        return Ok(());
    }
    ctx.fail(
        display,
        None,
        None,
        ErrorKind::Decompress {
            format: "tar",
            message: io_message(e),
        },
    )
}

/// Detects the encoding and the format of content and reads it.
fn process_content(
    ctx: &mut Ctx,
    display: &str,
    name: &str,
    reader: &mut dyn Read,
    raw: Vec<u8>,
    filled: usize,
    explicit: bool,
) -> Flow {
    let at_eof = filled < SNIFF;
    let (encoding, bom_len, note) = match detect(&raw[..filled], at_eof, ctx.opts.encoding) {
        Detected::Binary(at) => {
            ctx.put_raw(raw);
            return if explicit {
                ctx.fail(display, Some(at), None, ErrorKind::Binary { nul_at: at })
            } else {
                ctx.note(
                    display,
                    format!("skipped: binary file (NUL byte at offset {at})"),
                )
            };
        }
        Detected::Text {
            encoding,
            bom_len,
            note,
        } => (encoding, bom_len, note),
    };
    if let Some(note) = note {
        ctx.note(display, note)?;
    }
    let dec = StreamDecoder::new(reader, raw, filled, at_eof, bom_len, encoding);
    let text_buf = ctx.take_text();
    let mut tr = TextReader::new(dec, text_buf, TEXT_BLOCK);
    let flow = read_content(ctx, display, name, &mut tr);
    let (bad, bad_at) = (tr.dec.bad, std::mem::take(&mut tr.dec.bad_at));
    let (dec, buf) = tr.into_parts();
    ctx.put_text(buf);
    ctx.put_raw(dec.into_raw());
    flow?;
    if bad > 0 {
        ctx.fail(
            display,
            bad_at.first().copied(),
            None,
            ErrorKind::InvalidEncoding {
                encoding: encoding.name(),
                count: bad,
                offsets: bad_at,
            },
        )?;
    }
    Ok(())
}

/// Chooses the format (option, extension, content) and runs its reader.
fn read_content(ctx: &mut Ctx, display: &str, name: &str, tr: &mut TextReader<'_>) -> Flow {
    let format = match ctx.opts.format {
        Some(f) => f,
        None => {
            let by_ext = Format::from_extension(name);
            let peek = match io::BufRead::fill_buf(tr) {
                Ok(b) => b,
                Err(e) => {
                    let at = tr.dec.bytes_read();
                    return ctx.read_failed(display, Some(at), &e);
                }
            };
            let lower = name.to_ascii_lowercase();
            let markup = lower.ends_with(".xml") || lower.ends_with(".sgml");
            let trec = match by_ext {
                None if markup => formats::trec::contains_doc(peek),
                None | Some(Format::Text) => formats::trec::starts_with_doc(peek),
                Some(_) => false,
            };
            if trec {
                Format::Trec
            } else {
                by_ext.unwrap_or(Format::Text)
            }
        }
    };
    let source = Arc::new(Source {
        path: display.to_string(),
        encoding: tr.dec.encoding(),
        format,
    });
    match format {
        Format::Text => formats::text::read(ctx, &source, tr),
        Format::Json => formats::json::read(ctx, &source, tr),
        Format::Csv => formats::delimited::read(ctx, &source, tr, b','),
        Format::Tsv => formats::delimited::read(ctx, &source, tr, b'\t'),
        Format::Trec => formats::trec::read(ctx, &source, tr),
        Format::Conllu => formats::conllu::read(ctx, &source, tr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_names() {
        assert_eq!(strip_compression("a.txt.gz"), ("a.txt".into(), false));
        assert_eq!(strip_compression("a.tar.xz"), ("a.tar".into(), true));
        assert_eq!(strip_compression("a.TGZ"), ("a.tar".into(), true));
        assert_eq!(strip_compression("a.json.zst"), ("a.json".into(), false));
        assert_eq!(strip_compression("a.tar"), ("a.tar".into(), true));
        assert_eq!(strip_compression("a.txt"), ("a.txt".into(), false));
    }

    #[test]
    fn input_size_known_only_for_plain_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "كلمة واحدة\n").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        assert_eq!(plain_size(std::slice::from_ref(&a)), Some(20));
        assert_eq!(plain_size(&[dir.path()]), Some(20));
        let gz = dir.path().join("b.txt.gz");
        std::fs::write(&gz, [0x1f, 0x8b, 8, 0]).unwrap();
        assert_eq!(plain_size(&[dir.path()]), None);
        assert_eq!(plain_size(&[Path::new("-")]), None);
        assert_eq!(plain_size(&[dir.path().join("missing")]), None);
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(Magic::of(&[0x1F, 0x8B, 8]), Some(Magic::Gzip));
        assert_eq!(Magic::of(b"\xFD7zXZ\0rest"), Some(Magic::Xz));
        assert_eq!(Magic::of(&[0x28, 0xB5, 0x2F, 0xFD, 0]), Some(Magic::Zstd));
        assert_eq!(Magic::of(b"PK\x03\x04...."), Some(Magic::Zip));
        assert_eq!(Magic::of(b"BZh91AY&SY"), Some(Magic::Bzip2));
        assert_eq!(Magic::of(b"BZh is a word"), None);
        assert_eq!(Magic::of(b"hello"), None);
    }
}
