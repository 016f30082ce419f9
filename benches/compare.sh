#!/usr/bin/env bash
# compare.sh - kalima freq against its baselines, measured in the same run.
#
#   benches/compare.sh [CORPUS ...]          # default: ant.txt
#   benches/compare.sh ant_20mb.txt big.txt
#   KALIMA_BENCH_RUNS=5 benches/compare.sh /path/to/file.txt
#   KALIMA_BEFORE=/tmp/before/kalima benches/compare.sh ant_20mb.txt   # before/after a change
#   KALIMA_BENCH_CMD="ngrams -n 2" benches/compare.sh ant_20mb.txt     # another command
#
# CORPUS is a file name in the benchmark cache (built by shared/bench/bench_corpus.sh into
# ${XDG_CACHE_HOME:-$HOME/.cache}/kalima-bench/; override with KALIMA_BENCH_DIR) or a path.
# For each corpus every tool runs KALIMA_BENCH_RUNS times (default 3), the tools taking turns
# round by round so that noise on a shared machine hits them alike; the table gives the median
# wall time, MB/s (file bytes / 1e6 / s), kalima's speed-up over each baseline (baseline
# median / kalima median) and the peak RSS (max over the runs).
#
#   kalima      target/release/kalima freq -q --format csv FILE     (words, light, all threads)
#   kalima -j1  the same with --threads 1
#   python      python3 shared/bench/py_counter.py FILE             (re.findall + Counter)
#   naive rust  target/release/examples/naive_counter FILE          (benches/baselines/naive_counter.rs)
#   wc -w       LC_ALL=C.UTF-8 wc -w FILE
#
# KALIMA_BEFORE adds the same two kalima rows for another binary (e.g. the build before a
# change), taking turns with the others; KALIMA_BENCH_CMD replaces `freq` in the kalima rows.
#
# Tokens/s for kalima: tokens = the sum of the `count` column of one extra, untimed run that
# writes the full CSV. The Markdown table goes to stdout, progress to stderr. Corpora that are
# absent are skipped with a message (exit 0). Needs bash, python3, cargo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${KALIMA_BENCH_RUNS:-3}
CACHE=${KALIMA_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kalima-bench}
PY_COUNTER=${KALIMA_PY_COUNTER:-$ROOT/../shared/bench/py_counter.py}
KALIMA=$ROOT/target/release/kalima
BEFORE=${KALIMA_BEFORE:-}
CMD=${KALIMA_BENCH_CMD:-freq}
NAIVE=$ROOT/target/release/examples/naive_counter

log() { echo "compare: $*" >&2; }

[ "$#" -gt 0 ] || set -- ant.txt
files=()
for c in "$@"; do
  case $c in *[[:space:]]*) log "skipping '$c': paths with whitespace are not supported"; continue ;; esac
  if [ -f "$c" ]; then
    files+=("$c")
  elif [ -f "$CACHE/$c" ]; then
    files+=("$CACHE/$c")
  else
    log "skipping $c: not found (nor in $CACHE); build the corpora with shared/bench/bench_corpus.sh"
  fi
done
if [ "${#files[@]}" -eq 0 ]; then
  log "no benchmark corpus found, nothing measured"
  exit 0
fi
command -v python3 >/dev/null || { log "python3 not found"; exit 2; }
if [ ! -f "$PY_COUNTER" ]; then
  log "python baseline $PY_COUNTER not found (set KALIMA_PY_COUNTER); its row is skipped"
  PY_COUNTER=
fi

log "building (release): kalima, examples/naive_counter"
(cd "$ROOT" && cargo build --release --quiet --bin kalima --example naive_counter) >&2

# Peak RSS and CPU time (user + sys): GNU time when installed, else a python3 wrapper reading
# the child's rusage. Both write "max_rss_kb user_s sys_s".
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  peak() { local out=$1; shift; /usr/bin/time -f '%M %U %S' -o "$out" "$@"; }
else
  peak() {
    local out=$1; shift
    python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%d %.2f %.2f\n" % (ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
sys.exit(rc)' "$out" "$@"
  }
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# One timed run: prints "wall_us rss_kb cpu_s" or fails naming the tool.
measure() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  if ! peak "$TMP/rss" "$@" >/dev/null 2>"$TMP/err"; then
    log "$name failed: $* ($(tail -n3 "$TMP/err" | tr '\n' ' '))"
    return 1
  fi
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $(tail -n1 "$TMP/rss" | awk '{print $1, $2 + $3}')"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
echo "# kalima $CMD vs baselines"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores (${cpu:-unknown CPU}), $(uname -sr), $RUNS runs per tool (median), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kalima $("$KALIMA" --version 2>/dev/null | awk '{print $2}') ($(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)), $(python3 --version 2>&1), $(LC_ALL=C wc --version | head -n1)"

for f in "${files[@]}"; do
  bytes=$(stat -c %s "$f")
  names=("kalima" "kalima -j1" "naive rust" "wc -w")
  cmds=("$KALIMA $CMD -q --format csv $f"
        "$KALIMA $CMD -q --format csv --threads 1 $f"
        "$NAIVE $f"
        "env LC_ALL=C.UTF-8 wc -w $f")
  if [ -n "$BEFORE" ]; then
    names+=("kalima (before)" "kalima -j1 (before)")
    cmds+=("$BEFORE $CMD -q --format csv $f" "$BEFORE $CMD -q --format csv --threads 1 $f")
  fi
  if [ -n "$PY_COUNTER" ]; then
    names+=("python")
    cmds+=("python3 $PY_COUNTER $f")
  fi
  n=${#names[@]}
  declare -A times=() rss=() cpus=()
  log "$(basename "$f"): $bytes bytes, $n tools x $RUNS runs"
  # Warm the page cache so that the first tool does not pay for the disk.
  cat "$f" >/dev/null
  for ((r = 1; r <= RUNS; r++)); do
    for ((i = 0; i < n; i++)); do
      # shellcheck disable=SC2086 # the commands are word lists on purpose (no spaces in paths)
      read -r us kb cpu < <(measure "${names[$i]}" ${cmds[$i]}) || { log "aborting $(basename "$f")"; continue 3; }
      times[$i]="${times[$i]:-} $us"
      cpus[$i]="${cpus[$i]:-} $cpu"
      [ "${rss[$i]:-0}" -ge "$kb" ] || rss[$i]=$kb
      log "  run $r ${names[$i]}: $(awk -v u="$us" 'BEGIN{printf "%.3f", u/1e6}') s, cpu $cpu s, ${kb} KB"
    done
  done
  # Tokens (and types) from the full table of one more, untimed run.
  read -r tokens types < <("$KALIMA" freq -q --format csv "$f" | python3 -c '
import csv, sys
n = t = 0
for row in csv.DictReader(sys.stdin):
    n += int(row["count"]); t += 1
print(n, t)')

  med=() cmed=()
  for ((i = 0; i < n; i++)); do
    med[$i]=$(median ${times[$i]})
    cmed[$i]=$(median ${cpus[$i]})
  done
  echo
  echo "## $(basename "$f") ($(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB, $tokens tokens, $types types)"
  echo
  echo "| tool | wall s (median) | runs s | MB/s | kalima × faster | kalima -j1 × faster | CPU s (median) | peak RSS MB |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|"
  for ((i = 0; i < n; i++)); do
    awk -v name="${names[$i]}" -v m="${med[$i]}" -v runs="${times[$i]}" -v b="$bytes" \
        -v k="${med[0]}" -v k1="${med[1]}" -v cpu="${cmed[$i]}" -v kb="${rss[$i]}" 'BEGIN {
      split(runs, r, " "); s = ""
      for (j = 1; j in r; j++) s = s (j > 1 ? ", " : "") sprintf("%.2f", r[j] / 1e6)
      printf "| %s | %.3f | %s | %.1f | %.2f | %.2f | %.2f | %.1f |\n", name, m / 1e6, s, b / m, m / k, m / k1, cpu, kb / 1024
    }'
  done
  echo
  awk -v t="$tokens" -v k="${med[0]}" -v k1="${med[1]}" 'BEGIN {
    printf "kalima: %.2f M tokens/s (all threads), %.2f M tokens/s (--threads 1)\n", t / k, t / k1 }'
  unset times rss cpus
done
