//! JSON: an array of records (`[{…}, {…}]`), JSON Lines, or concatenated values. One record
//! (object, or bare string) is one document.
//!
//! A small structural scanner finds each record's bytes (tracking strings and brackets only),
//! then `serde_json` parses that record alone. So records stream one by one, a malformed
//! record is reported and skipped, and JSON Lines resynchronise at the next line.

use std::io::{self, BufRead};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::decode::TextReader;
use crate::event::{ErrorKind, Source};
use crate::options::Format;
use crate::sink::{Ctx, Flow, MAX_RECORD};

/// How a value scan ended.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    /// The value's bytes are in the output buffer.
    Value,
    /// The value was longer than [`MAX_RECORD`]; it was skipped.
    TooLarge,
    /// The structure is broken; `skip_line`: the rest of the current line is junk.
    Broken { reason: String, skip_line: bool },
    /// No value before the end of the input.
    Eof,
}

struct Scanner<'t, 'a> {
    r: &'t mut TextReader<'a>,
    stack: Vec<u8>,
}

impl Scanner<'_, '_> {
    fn offset(&self) -> u64 {
        self.r.offset()
    }

    /// The next byte that is not whitespace, not consumed.
    fn peek_non_ws(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    let b = buf[i];
                    self.r.consume(i);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.r.consume(n);
                }
            }
        }
    }

    fn bump(&mut self) {
        self.r.consume(1);
    }

    /// Skips to just after the next `'\n'`.
    fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.r.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let n = buf.len();
                    self.r.consume(n);
                }
            }
        }
    }

    /// Scans one value, which starts at the next non-whitespace byte, into `out`. `lines`:
    /// JSON Lines rules (a `{` or `[` at the start of a line while a record is open starts a
    /// new record).
    fn value(&mut self, out: &mut Vec<u8>, lines: bool) -> io::Result<Scan> {
        out.clear();
        let first = match self.peek_non_ws()? {
            None => return Ok(Scan::Eof),
            Some(b) => b,
        };
        self.bump();
        out.push(first);
        let Scanner { r, stack } = self;
        stack.clear();
        let mut in_str = false;
        let mut scalar = false;
        match first {
            b'{' | b'[' => stack.push(first),
            b'"' => in_str = true,
            _ => scalar = true,
        }
        let mut esc = false;
        let mut line_start = false;
        let mut too_large = false;
        loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(if scalar {
                    if too_large {
                        Scan::TooLarge
                    } else {
                        Scan::Value
                    }
                } else {
                    Scan::Broken {
                        reason: "unexpected end of file inside a record".into(),
                        skip_line: false,
                    }
                });
            }
            let mut i = 0;
            let mut done = None;
            while i < buf.len() {
                if in_str {
                    if esc {
                        esc = false;
                        i += 1;
                        continue;
                    }
                    match memchr::memchr3(b'"', b'\\', b'\n', &buf[i..]) {
                        None => i = buf.len(),
                        Some(k) => {
                            let c = buf[i + k];
                            i += k + 1;
                            match c {
                                b'\\' => esc = true,
                                b'"' => {
                                    in_str = false;
                                    if stack.is_empty() {
                                        done = Some(Scan::Value);
                                        break;
                                    }
                                }
                                _ => {
                                    done = Some(Scan::Broken {
                                        reason: "line break inside a string".into(),
                                        skip_line: false,
                                    });
                                    break;
                                }
                            }
                        }
                    }
                    continue;
                }
                let c = buf[i];
                if scalar {
                    if c.is_ascii_whitespace() || matches!(c, b',' | b']' | b'}') {
                        done = Some(Scan::Value);
                        break;
                    }
                    i += 1;
                    continue;
                }
                if line_start && !c.is_ascii_whitespace() {
                    line_start = false;
                    if lines && matches!(c, b'{' | b'[') {
                        done = Some(Scan::Broken {
                            reason: "record not closed at the end of its line".into(),
                            skip_line: false,
                        });
                        break;
                    }
                }
                i += 1;
                match c {
                    b'"' => in_str = true,
                    b'{' | b'[' => stack.push(c),
                    b'}' | b']' => {
                        let open = if c == b'}' { b'{' } else { b'[' };
                        if stack.pop() != Some(open) {
                            done = Some(Scan::Broken {
                                reason: format!("unexpected '{}'", c as char),
                                skip_line: true,
                            });
                            break;
                        }
                        if stack.is_empty() {
                            done = Some(Scan::Value);
                            break;
                        }
                    }
                    b'\n' => line_start = true,
                    _ => {}
                }
            }
            if !too_large {
                if out.len() + i > MAX_RECORD {
                    too_large = true;
                    out.clear();
                } else {
                    out.extend_from_slice(&buf[..i]);
                }
            }
            r.consume(i);
            if let Some(d) = done {
                return Ok(match d {
                    Scan::Value if too_large => Scan::TooLarge,
                    d => d,
                });
            }
        }
    }
}

/// Per-file state.
struct State {
    source: Arc<Source>,
    record: u64,
    missing: u64,
}

impl State {
    fn fail(&self, ctx: &mut Ctx, at: u64, record: Option<u64>, kind: ErrorKind) -> Flow {
        ctx.fail(&self.source.path, Some(at), record, kind)
    }

    fn malformed(&self, ctx: &mut Ctx, at: u64, message: String) -> Flow {
        let kind = ErrorKind::Malformed {
            format: Format::Json,
            message,
        };
        self.fail(ctx, at, Some(self.record), kind)
    }
}

fn wanted(ctx: &Ctx) -> String {
    match &ctx.opts.field {
        Some(f) => format!("{f:?}"),
        None => "\"content\" or \"text\"".into(),
    }
}

/// Reads JSON records from `tr`.
pub(crate) fn read(ctx: &mut Ctx, source: &Arc<Source>, tr: &mut TextReader<'_>) -> Flow {
    let mut buf = ctx.take_bytes();
    let mut st = State {
        source: source.clone(),
        record: 0,
        missing: 0,
    };
    let mut sc = Scanner {
        r: tr,
        stack: Vec::new(),
    };
    let flow = match run(ctx, &mut sc, &mut buf, &mut st) {
        Ok(flow) => flow,
        Err(e) => {
            let at = sc.r.dec.bytes_read();
            ctx.read_failed(&source.path, Some(at), &e)
        }
    };
    ctx.put_bytes(buf);
    flow?;
    if st.missing > 1 {
        let msg = format!(
            "{} more records without field {} skipped",
            st.missing - 1,
            wanted(ctx)
        );
        ctx.fail(&source.path, None, None, ErrorKind::Other(msg))?;
    }
    Ok(())
}

/// The top level: arrays of records and bare records. The outer `Result` is a read error.
fn run(
    ctx: &mut Ctx,
    sc: &mut Scanner<'_, '_>,
    buf: &mut Vec<u8>,
    st: &mut State,
) -> io::Result<Flow> {
    loop {
        match sc.peek_non_ws()? {
            None => return Ok(Ok(())),
            Some(b'[') => {
                sc.bump();
                match array(ctx, sc, buf, st)? {
                    Ok(true) => {}
                    Ok(false) => return Ok(Ok(())),
                    Err(stop) => return Ok(Err(stop)),
                }
            }
            Some(b',') => sc.bump(),
            Some(_) => {
                st.record += 1;
                let at = sc.offset();
                let flow = match sc.value(buf, true)? {
                    Scan::Value => record(ctx, st, at, buf),
                    Scan::TooLarge => too_large(ctx, st, at),
                    Scan::Broken { reason, skip_line } => {
                        if skip_line {
                            sc.skip_line()?;
                        }
                        st.malformed(ctx, at, reason)
                    }
                    Scan::Eof => return Ok(Ok(())),
                };
                if flow.is_err() {
                    return Ok(flow);
                }
            }
        }
    }
}

fn too_large(ctx: &mut Ctx, st: &State, at: u64) -> Flow {
    let msg = format!("record larger than {} MiB skipped", MAX_RECORD >> 20);
    st.fail(ctx, at, Some(st.record), ErrorKind::Other(msg))
}

/// The records of an array whose `[` was consumed. `Ok(Ok(true))`: the array closed properly;
/// `Ok(Ok(false))`: the rest of the file is abandoned (reported).
fn array(
    ctx: &mut Ctx,
    sc: &mut Scanner<'_, '_>,
    buf: &mut Vec<u8>,
    st: &mut State,
) -> io::Result<Result<bool, crate::sink::Stop>> {
    let not_closed = |ctx: &mut Ctx, st: &State, at: u64| {
        let msg = "unexpected end of file: the array is not closed".to_string();
        st.fail(
            ctx,
            at,
            None,
            ErrorKind::Malformed {
                format: Format::Json,
                message: msg,
            },
        )
    };
    loop {
        let at = sc.offset();
        match sc.peek_non_ws()? {
            None => return Ok(not_closed(ctx, st, at).map(|_| false)),
            Some(b']') => {
                sc.bump();
                return Ok(Ok(true));
            }
            Some(_) => {}
        }
        st.record += 1;
        let at = sc.offset();
        let flow = match sc.value(buf, false)? {
            Scan::Value => record(ctx, st, at, buf),
            Scan::TooLarge => too_large(ctx, st, at),
            Scan::Broken { reason, .. } => {
                let msg = format!("{reason}; the rest of the file was skipped");
                return Ok(st.malformed(ctx, at, msg).map(|_| false));
            }
            Scan::Eof => return Ok(not_closed(ctx, st, at).map(|_| false)),
        };
        if let Err(stop) = flow {
            return Ok(Err(stop));
        }
        let at = sc.offset();
        match sc.peek_non_ws()? {
            Some(b',') => sc.bump(),
            Some(b']') => {
                sc.bump();
                return Ok(Ok(true));
            }
            None => return Ok(not_closed(ctx, st, at).map(|_| false)),
            Some(c) => {
                let msg = format!(
                    "expected ',' or ']' after the record, found {:?}; the rest of the file was skipped",
                    c as char
                );
                return Ok(st.malformed(ctx, at, msg).map(|_| false));
            }
        }
    }
}

/// Parses one record's bytes and sends its document.
fn record(ctx: &mut Ctx, st: &mut State, at: u64, bytes: &[u8]) -> Flow {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return st.malformed(ctx, at, e.to_string()),
    };
    match value {
        Value::String(s) => ctx.single(&st.source, s, None, Vec::new()),
        Value::Object(map) => object(ctx, st, at, map),
        other => {
            let kind = match other {
                Value::Array(_) => "an array",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            st.malformed(
                ctx,
                at,
                format!("expected an object or a string, found {kind}"),
            )
        }
    }
}

fn object(ctx: &mut Ctx, st: &mut State, at: u64, mut map: Map<String, Value>) -> Flow {
    let found = match &ctx.opts.field {
        Some(f) => map.remove(f.as_str()).map(|v| (f.clone(), v)),
        None => ["content", "text"]
            .iter()
            .find_map(|k| map.remove(*k).map(|v| (k.to_string(), v))),
    };
    let Some((key, value)) = found else {
        st.missing += 1;
        if st.missing > 1 {
            return Ok(());
        }
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        let msg = format!(
            "no field {} (fields: {}); records without it are skipped",
            wanted(ctx),
            keys.join(", ")
        );
        return st.fail(ctx, at, Some(st.record), ErrorKind::Other(msg));
    };
    let text = match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                v => v.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Object(_) => {
            return st.malformed(ctx, at, format!("field {key:?} is an object, not text"));
        }
        v => v.to_string(),
    };
    let name = ["id", "url"]
        .iter()
        .find_map(|k| map.get(*k).and_then(scalar));
    let meta = if ctx.opts.keep_meta {
        map.into_iter()
            .filter_map(|(k, v)| scalar(&v).map(|s| (k, s)))
            .collect()
    } else {
        Vec::new()
    };
    ctx.single(&st.source, text, name, meta)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
