#!/bin/bash
# Times the corpus commands on the big benchmark corpora (built by ../shared/bench/bench_corpus.sh
# into ~/.cache/kalima-bench, or $KALIMA_BENCH_DIR) and appends one line per command to
# results.tsv in the current directory: name, exit status, wall s, CPU s, peak RSS MiB, rows.
# Run it from a scratch directory: KALIMA=/path/to/target/release/kalima benches/remeasure_big.sh
# (docs/benchmarks.md quotes its output). Compare ratios with a baseline run at the same time:
# the host's speed varies.
set -u
[ -f "$HOME/.cache/kalima-bench/big.txt" ] || [ -f "${KALIMA_BENCH_DIR:-/nonexistent}/big.txt" ] \
  || { echo "skipped: big.txt not found (run ../shared/bench/bench_corpus.sh)" >&2; exit 0; }
B=${KALIMA_BENCH_DIR:-$HOME/.cache/kalima-bench}
m() { local name="$1"; shift; /usr/bin/time -f "%e %U %S %M" -o t.tmp ${KALIMA:-target/release/kalima} "$@" >/dev/null 2>err.tmp; rc=$?; read e u s kb < t.tmp; rows=""; [ -f out.csv ] && rows=$(($(wc -l < out.csv)-1)); echo -e "$name\t$rc\t$e\t$(echo "$u+$s" | bc)\t$((kb/1024))\t$rows" >> results.tsv; rm -f out.csv; }
echo "load at start: $(cat /proc/loadavg)" > results.tsv
m freq freq $B/big.txt -q -o out.csv
m kwic_gov kwic الحكومة $B/big.txt -q --format csv -o out.csv
m kwic_fi5 kwic في $B/big.txt -q --limit 5 --format csv -o out.csv
m dispersion dispersion $B/big.txt --parts 100 -q --format csv -o out.csv
m lexdiv lexdiv $B/big.txt -q --format csv -o out.csv
m zipf zipf $B/big.txt --fit -q --format csv -o out.csv
m heaps heaps $B/big.txt --fit -q --format csv -o out.csv
m tfidf_tf tfidf $B/ant_text -q --matrix tf -o out.csv
m dispersion_ant dispersion $B/ant_text -q --format csv -o out.csv
m lexdiv_ant lexdiv $B/ant_text --by doc -q --format csv -o out.csv
for n in 1 2 3 4 5; do m ngrams$n ngrams $B/big.txt -n $n -q -j 2 -o out.csv; done
m cooc5 cooc $B/big.txt --window 5 --min-count 2 -q -j 2 -o out.csv
m report report $B/big.txt -o rep -q
echo "load at end: $(cat /proc/loadavg)" >> results.tsv
