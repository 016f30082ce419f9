#!/usr/bin/env bash
# targets.sh - the speed and memory targets of issue 16, measured in one run.
#
#   benches/targets.sh [CORPUS]            # default: ant_20mb.txt
#   KALIMA_BENCH_RUNS=5 benches/targets.sh ant_20mb.txt
#   KALIMA_TARGETS=speed benches/targets.sh     # only the speed table (memory: KALIMA_TARGETS=memory)
#
# Speed: every command runs KALIMA_BENCH_RUNS times (default 3) on CORPUS, the commands taking
# turns round by round so that noise on a shared host hits them alike; the table gives the median
# wall time and its ratio to `kalima freq` in the same run (full tables written to /dev/null),
# then each target with "met" or "missed". The freq-against-baselines targets (15x python,
# 2.5x wc -w) are on ant.txt, as the issue sets them: `benches/compare.sh ant.txt`.
#
# Memory: each command with `--max-memory M` on ant.txt (big.txt for the report's default run);
# peak RSS (GNU time) against M + 20%. collocates and tfidf have no --max-memory: their tables
# are bounded by the vocabulary (tfidf streams its long table document by document).
#
# CORPUS is a file name in the benchmark cache (../shared/bench/bench_corpus.sh builds it into
# ${XDG_CACHE_HOME:-$HOME/.cache}/kalima-bench/; override with KALIMA_BENCH_DIR) or a path.
# Absent corpora: a message and exit 0. Needs bash, python3, GNU time, cargo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${KALIMA_BENCH_RUNS:-3}
CACHE=${KALIMA_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kalima-bench}
PY_COUNTER=${KALIMA_PY_COUNTER:-$ROOT/../shared/bench/py_counter.py}
KALIMA=$ROOT/target/release/kalima
WHAT=${KALIMA_TARGETS:-all}
NODE=${KALIMA_NODE:-الرئيس}

log() { echo "targets: $*" >&2; }

corpus=${1:-ant_20mb.txt}
if [ -f "$corpus" ]; then F=$corpus; elif [ -f "$CACHE/$corpus" ]; then F=$CACHE/$corpus; else
  log "skipping $corpus: not found (nor in $CACHE); build the corpora with shared/bench/bench_corpus.sh"
  exit 0
fi
[ -x /usr/bin/time ] || { log "GNU time (/usr/bin/time) is needed for peak RSS"; exit 2; }
log "building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin kalima) >&2

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# One run: prints "wall_s rss_kb" or fails naming the command.
measure() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err"; then
    log "$name failed: $* ($(tail -n3 "$TMP/err" | tr '\n' ' '))"
    return 1
  fi
  tail -n1 "$TMP/t"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

echo "# issue 16 targets"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kalima $("$KALIMA" --version | awk '{print $2}') ($(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)), $(python3 --version 2>&1)"

if [ "$WHAT" != memory ]; then
  names=(freq "ngrams -n 2" "ngrams -n 3" "ngrams -n 4" "ngrams -n 5" "cooc --window 5"
         "collocates $NODE" report "freq -j1" "kwic $NODE" "kwic $NODE -j1" "dispersion" "dispersion -j1"
         "heaps" "heaps -j1" "lexdiv" "lexdiv -j1")
  cmds=("$KALIMA freq -q --format csv $F"
        "$KALIMA ngrams -n 2 -q --format csv $F"
        "$KALIMA ngrams -n 3 -q --format csv $F"
        "$KALIMA ngrams -n 4 -q --format csv $F"
        "$KALIMA ngrams -n 5 -q --format csv $F"
        "$KALIMA cooc --window 5 -q --format csv $F"
        "$KALIMA collocates $NODE -q --format csv $F"
        "$KALIMA report $F -q --force -o $TMP/report"
        "$KALIMA freq -q --format csv -j 1 $F"
        "$KALIMA kwic $NODE -q --format csv $F"
        "$KALIMA kwic $NODE -q --format csv -j 1 $F"
        "$KALIMA dispersion -q --format csv $F"
        "$KALIMA dispersion -q --format csv -j 1 $F"
        "$KALIMA heaps -q --format csv $F"
        "$KALIMA heaps -q --format csv -j 1 $F"
        "$KALIMA lexdiv -q --format csv $F"
        "$KALIMA lexdiv -q --format csv -j 1 $F")
  if [ -f "$PY_COUNTER" ]; then
    names+=("python unigrams+bigrams")
    cmds+=("python3 $PY_COUNTER --bigrams $F")
  fi
  n=${#names[@]}
  declare -A times=() rss=()
  cat "$F" >/dev/null
  for ((r = 1; r <= RUNS; r++)); do
    for ((i = 0; i < n; i++)); do
      # shellcheck disable=SC2086 # word lists on purpose (no spaces in paths)
      read -r s kb < <(measure "${names[$i]}" ${cmds[$i]}) || exit 1
      times[$i]="${times[$i]:-} $s"
      [ "${rss[$i]:-0}" -ge "$kb" ] || rss[$i]=$kb
      log "run $r ${names[$i]}: $s s, $kb KB"
    done
  done
  declare -A med=()
  for ((i = 0; i < n; i++)); do med[$i]=$(median ${times[$i]}); done
  echo
  echo "## speed on $(basename "$F") ($(stat -c %s "$F") bytes), $RUNS runs, median"
  echo
  echo "| command | wall s | × freq | peak RSS MB |"
  echo "|---|---:|---:|---:|"
  for ((i = 0; i < n; i++)); do
    awk -v c="${names[$i]}" -v m="${med[$i]}" -v f="${med[0]}" -v kb="${rss[$i]}" \
      'BEGIN { printf "| `%s` | %.2f | %.2f | %.0f |\n", c, m, m / f, kb / 1024 }'
  done
  echo
  target() { # label value op bound
    awk -v l="$1" -v v="$2" -v op="$3" -v b="$4" 'BEGIN {
      ok = (op == "<=") ? v <= b : v >= b
      printf "- %s: %.2f (target %s %s): %s\n", l, v, op, b, ok ? "met" : "missed" }'
  }
  ix() { local k; for k in "${!names[@]}"; do [ "${names[$k]}" = "$1" ] && echo "$k"; done; }
  r() { awk -v a="${med[$(ix "$1")]}" -v b="${med[$(ix "$2")]}" 'BEGIN { print a / b }'; }
  target "ngrams -n 2 / freq" "$(r "ngrams -n 2" freq)" "<=" 3
  for k in 3 4 5; do target "ngrams -n $k / ngrams -n 2" "$(r "ngrams -n $k" "ngrams -n 2")" "<=" 2; done
  [ -f "$PY_COUNTER" ] && target "python unigrams+bigrams / ngrams -n 2" "$(r "python unigrams+bigrams" "ngrams -n 2")" ">=" 10
  target "cooc --window 5 / freq" "$(r "cooc --window 5" freq)" "<=" 12
  target "collocates / freq" "$(r "collocates $NODE" freq)" "<=" 2
  target "report / freq" "$(r report freq)" "<=" 10
  for c in "kwic $NODE" dispersion heaps lexdiv; do
    target "$c: -j1 / all threads" "$(r "$c -j1" "$c")" ">=" 1.3
  done
fi

if [ "$WHAT" != speed ]; then
  A=$CACHE/ant.txt B=$CACHE/big.txt
  echo
  echo "## memory: peak RSS with --max-memory (target: budget + 20%)"
  echo
  echo "| command | budget MB | peak RSS MB | ratio | |"
  echo "|---|---:|---:|---:|---|"
  mem() { # budget_mb name args...
    local mb=$1 name=$2; shift 2
    [ -f "${@: -1}" ] || [ -d "${@: -1}" ] || { log "skipping $name: ${*: -1} not found"; return 0; }
    read -r s kb < <(measure "$name" "$KALIMA" "$@" -q --max-memory "${mb}M") || return 0
    awk -v c="$name" -v mb="$mb" -v kb="$kb" 'BEGIN { r = kb / 1024 / mb
      printf "| `%s` | %d | %.0f | %.2f | %s |\n", c, mb, kb / 1024, r, r <= 1.2 ? "met" : "missed" }'
  }
  mem 400 "ngrams -n 3 ant.txt" ngrams -n 3 --format csv "$A"
  mem 300 "cooc --window 5 ant.txt" cooc --window 5 --format csv "$A"
  mem 500 "report ant.txt" report --force -o "$TMP/report" "$A"
  if [ -f "$B" ]; then
    read -r s kb < <(measure "report big.txt" "$KALIMA" report -q --force -o "$TMP/report" "$B") || true
    awk -v kb="${kb:-0}" -v s="${s:-0}" 'BEGIN {
      printf "\nreport big.txt, default options: %.0f MB peak RSS, %.1f s (target <= 1024 MB): %s\n",
        kb / 1024, s, kb / 1024 <= 1024 ? "met" : "missed" }'
  fi
fi
