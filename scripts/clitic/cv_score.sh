#!/usr/bin/env bash
# The cross-validated word F1 of `--scheme clitic` quoted in README.md and docs/clitic.md.
#
#   scripts/clitic/cv_score.sh [SHARED_DATA] [KALIMA]
#
# SHARED_DATA defaults to $KALIMA_SHARED_DATA, else ../shared/data; KALIMA to
# target/release/kalima (`cargo build --release`). Python 3, standard library only; about
# 20 s on one core.
#
# What it does: converts the gold data to the training format (clitic.py convert), then
# clitic.py cv-all: 5-fold cross-validation on the UD Arabic-PUD shared half by document (the
# documents in sorted order, fold = index mod 5; each fold's model trained on the other four
# fifths plus all of Farasa WikiNews, exactly as `clitic.py train` trains the shipped model),
# scored on every word of the held-out sentences (punctuation and numbers too): kalima's
# `words` scheme cuts the text, the fold's model (16-bit weights, the Rust decision rule)
# splits each token, and a word is correct when its character span equals a gold word's (the
# CoNLL 2018 word F1; PUD has no multi-word tokens). Its first line scores the shipped model
# on all sentences with the same pipeline: it must equal the PUD figure of
# `cargo test --release --test clitic pud_word_f1_floor -- --nocapture`, which checks this
# scorer against the Rust one (kalima_stats::segeval).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-${KALIMA_SHARED_DATA:-$root/../shared/data}}
kalima=${2:-$root/target/release/kalima}
[ -d "$data/ud_arabic_pud" ] || { echo "cv_score.sh: no shared data at $data" >&2; exit 2; }
[ -x "$kalima" ] || { echo "cv_score.sh: no kalima binary at $kalima (cargo build --release)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/clitic.py" convert "$data" "$tmp" 2>/dev/null
python3 "$here/clitic.py" cv-all "$data" "$tmp" "$root/crates/kalima-text/model/lexicon.txt" \
  "$kalima" "$root/crates/kalima-text/model/clitic.bin"
