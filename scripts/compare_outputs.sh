#!/usr/bin/env bash
# Compare the output of every `kalima` command between two binaries (issue 15: the output of
# every command must not change while the command line is refactored into a library).
#
#   scripts/compare_outputs.sh BEFORE_BIN AFTER_BIN [WORKDIR]
#
# Runs every subcommand (tokenize freq ngrams cooc collocates keyness kwic dispersion lexdiv
# tfidf zipf heaps chart bench report) with a representative set of options, once with each
# binary, on
#   1. the bundled sample `data/sample` (and inputs derived from it: two halves, a CSV with a
#      group and a date column, a tar.gz, Windows-1256, UTF-16, gzip, a hand-written line with
#      diacritics, tatweel, alef variants, Arabic digits, ZWNJ and Latin);
#   2. a slice of the shared corpus `${KALIMA_SHARED_DATA:-../shared/data}` (relative to the
#      repository root): 316 ANT articles (every 100th file of the archive: all sources and
#      categories), one day of SaudiNewsNet (2015-07-23.json, 1318 articles), the UD Arabic-PUD
#      half and two Tanzil files (read in place, not copied). Without the shared data this part
#      is skipped with a message, unless KALIMA_REQUIRE_DATA=1 (then the script fails).
#
# Each binary runs with the working directory WORKDIR/before or WORKDIR/after (holding a link
# `in` to WORKDIR/in, the inputs), so the paths that commands print (document names, `-o`
# files) are the same relative strings for both. For case NAME, WORKDIR/<side>/NAME is stdout,
# NAME.stderr stderr, NAME.rc the exit status and NAME.out/ the files written with -o. A case is
# `same` when exit status, stdout, stderr and every file under NAME.out/ are byte-identical
# (`cmp`); it prints one line, `same NAME` or `DIFF NAME (what)`, then a summary.
#
# Also compared: `--help` of every command and `--version` (the help text is output too), a
# few error cases (err.*: message and exit status), -o files in every format (Parquet, PNG and
# SVG byte for byte) and every file of a report folder.
#
# `-j 2` and `-q` are passed to every command that accepts them (tokenize and kwic take no -j).
# A few cases also run with AFTER only at -j 1 and at -j 2 (WORKDIR/threads-j1, threads-j2;
# lines `same j1-vs-j2:NAME`): the output must not depend on the thread count. One case checks
# that spilling to disk (--max-memory 64K) gives the same n-grams as counting in memory.
#
# Exit status: 0 when every case is the same, 1 when any differs (output or exit status),
# 2 on a usage or setup error.
#
# Environment: KALIMA_SHARED_DATA (the shared data folder), KALIMA_REQUIRE_DATA=1 (fail
# without it), KALIMA_CASE_TIMEOUT (seconds per command, default 600).
set -uo pipefail

usage() { echo "usage: $0 BEFORE_BIN AFTER_BIN [WORKDIR]" >&2; exit 2; }
[[ $# -ge 2 && $# -le 3 ]] || usage

abs_bin() { # PATH -> absolute path of an executable file
  local p=$1
  [[ -f $p && -x $p ]] || { echo "$0: not an executable file: $p" >&2; exit 2; }
  echo "$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"
}
BEFORE=$(abs_bin "$1") || exit 2
AFTER=$(abs_bin "$2") || exit 2
REPO=$(cd "$(dirname "$0")/.." && pwd)
if [[ $# -ge 3 ]]; then
  mkdir -p "$3" || exit 2
  W=$(cd "$3" && pwd)
else
  W=$(mktemp -d "${TMPDIR:-/tmp}/kalima-compare.XXXXXX") || exit 2
fi
SHARED=${KALIMA_SHARED_DATA:-$REPO/../shared/data}
TIMEOUT=${KALIMA_CASE_TIMEOUT:-600}
export LC_ALL=C.UTF-8 # the same sort order, number format and messages for both binaries

echo "BEFORE  $BEFORE"
echo "AFTER   $AFTER"
echo "WORKDIR $W"
t_start=$SECONDS

# ---------------------------------------------------------------------------------------------
# Setup: inputs in $W/in, outputs in $W/<side>. Only these subfolders of WORKDIR are replaced.
SIDES=(before after threads-j1 threads-j2 spill-off spill-on)
for d in in "${SIDES[@]}"; do rm -rf "${W:?}/$d"; done
mkdir -p "$W/in" || exit 2
for s in "${SIDES[@]}"; do mkdir -p "$W/$s" && ln -s ../in "$W/$s/in"; done
IN=$W/in
# Both binaries run through a link named `kalima` (clap prints argv[0]'s file name in usage lines).
rm -rf "$W/bin"; mkdir -p "$W/bin/before" "$W/bin/after"
ln -s "$BEFORE" "$W/bin/before/kalima" && ln -s "$AFTER" "$W/bin/after/kalima" || exit 2
BEFORE_BIN=$W/bin/before/kalima AFTER_BIN=$W/bin/after/kalima

# 1. the sample and inputs derived from it
cp -r "$REPO/data/sample" "$IN/sample" || exit 2
mapfile -t sample_files < <(cd "$IN" && find sample -type f -name '*.txt' | sort)
half=$(( ${#sample_files[@]} / 2 ))
mkdir -p "$IN/sample_a" "$IN/sample_b"
(cd "$IN" && cp "${sample_files[@]:0:half}" sample_a/ && cp "${sample_files[@]:half}" sample_b/) || exit 2
SAMPLE_A=("${sample_files[@]:0:half}"); SAMPLE_A=("${SAMPLE_A[@]/#/in/}") # the halves as lists of
SAMPLE_B=("${sample_files[@]:half}");   SAMPLE_B=("${SAMPLE_B[@]/#/in/}") # paths, as commands see them
# sample.csv: one row per sample file, with a group (news/wiki from the file name: PUD's n/w
# documents) and a made-up month, for keyness --by, report --by/--date and chart timeline.
(cd "$IN" && awk '
  BEGIN { print "id,group,date,text" }
  function flush() { gsub(/"/, "\"\"", text); printf "%s,%s,2015-%02d-15,\"%s\"\n", id, grp, month, text }
  FNR == 1 { if (NR > 1) flush(); n++; id = FILENAME; sub(/.*\//, "", id)
             grp = (id ~ /^[0-9]+-n/) ? "news" : "wiki"; month = n % 6 + 1; text = "" }
  { text = (text == "" ? $0 : text " " $0) }
  END { flush() }' "${sample_files[@]}" > sample.csv) || exit 2
(cd "$IN" && cat "${sample_files[@]:0:20}" > one.txt) || exit 2
iconv -c -f UTF-8 -t WINDOWS-1256 "$IN/one.txt" > "$IN/one.cp1256.txt" # -c: drop what cp1256 lacks
iconv -f UTF-8 -t UTF-16 "$IN/one.txt" > "$IN/one.utf16.txt"           # with a BOM
gzip -n -c "$IN/one.txt" > "$IN/one.txt.gz"
(cd "$IN" && tar --sort=name --mtime=2020-01-01 --owner=0 --group=0 --numeric-owner -cf - sample \
   | gzip -n > sample.tar.gz) || exit 2
# Hand-written edge cases: harakat, tatweel, alef/ya/ta-marbuta variants, Arabic-Indic and
# Persian digits, ZWNJ, Arabic punctuation, Latin, clitics, an empty line, a URL.
printf '%s\n' \
  'وقال الرئيس للمدينة مدرستها' \
  'كَتَبَ الطّالِبُ الدَّرْسَ فـــي المدرسة، ثم ذهب إلى البيت؛ أليس كذلك؟' \
  'إحصاء أسماء آلاف الناس في مستشفى ١٢٣ و۴۵۶ عام 2015م' \
  'مي‌خواهم Hello World! e-mail: test@example.com https://example.com/a?b=1' \
  '' \
  'فسيكتبونها وبالقلم ولأنه كتابهم سيارتنا' \
  '«اقتباس» (قوسان) [معقوفان] — شرطة… نقاط' > "$IN/edge.txt"
echo 'عام' > "$IN/stop.txt"; echo 'في' >> "$IN/stop.txt" # a stop-word file
mkdir -p "$IN/not-a-report" && echo keep > "$IN/not-a-report/keep.txt" # report must refuse it

# 2. the shared corpus slice
HAVE_SHARED=0
if [[ -d $SHARED/ant_multisource && -d $SHARED/saudinewsnet ]]; then
  SHARED=$(cd "$SHARED" && pwd)
  ln -s "$SHARED" "$IN/shared" # read in place (Tanzil's terms: no modified copies)
  mkdir -p "$IN/ant" "$IN/snn"
  ant_tar=$SHARED/ant_multisource/ant_multisource_v2.1.tar.xz
  xz -dc "$ant_tar" | tar -t | grep '\.txt$' | sort | awk 'NR % 100 == 1' > "$W/in/ant.list" \
    && xz -dc "$ant_tar" | tar -x -C "$IN/ant" -T "$IN/ant.list" \
    && xz -dc "$SHARED/saudinewsnet/saudinewsnet_2015.tar.xz" \
       | tar -x -C "$IN/snn" --strip-components=1 saudinewsnet/2015-07-23.json \
    || { echo "$0: could not extract the shared corpus slice" >&2; exit 2; }
  HAVE_SHARED=1
  echo "shared data: $SHARED ($(wc -l < "$IN/ant.list") ANT articles, SaudiNewsNet 2015-07-23)"
elif [[ ${KALIMA_REQUIRE_DATA:-0} == 1 ]]; then
  echo "$0: the shared data is absent ($SHARED) and KALIMA_REQUIRE_DATA=1" >&2
  exit 2
else
  echo "shared data absent ($SHARED): part 2 (shared corpus) skipped; KALIMA_REQUIRE_DATA=1 makes this an error"
fi

# A bench results file for `chart bench`, made once by BEFORE so both charts draw the same data.
(cd "$W/before" && "$BEFORE_BIN" bench -j 2 -q in/sample -t words,clitic,camel,whitespace,bpe:300 \
   --no-timing -o in/bench.csv) || { echo "$0: could not make in/bench.csv" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Running and comparing.

# Files under NAME.out/ left out of the comparison, as `case-glob:path-glob` (bash patterns).
# A report folder was inspected for anything that embeds a time: nothing does. index.html,
# report.md, charts/*.png, data/*.csv, data/*.parquet and .kalima-report are identical from run
# to run and for -j 1/-j 2, hold no date or time of the run, no duration, no host and no output
# path (the inputs are named as given, relative here). `.kalima-report` and the page's generator
# line hold the kalima version (CARGO_PKG_VERSION), which the refactor must not change either, so
# they are compared too. The list is therefore empty; add entries here, with the reason, if a
# file ever embeds the time of the run.
EXCLUDE=()

# Timing columns of `kalima bench` without --no-timing: they change from run to run
# (`bench --help`: "their values change from run to run"). They are cut out by filter_bench
# before the comparison (the header, and so the presence of the columns, is still compared).
BENCH_TIMING_COLUMNS=" setup_seconds mb_per_s tokens_per_s mb_per_s_1t tokens_per_s_1t "
filter_bench() { # CSV on stdin (bench output, no quoted commas) -> the same without timing columns
  awk -F, -v drop="$BENCH_TIMING_COLUMNS" '
    NR == 1 { for (i = 1; i <= NF; i++) keep[i] = (index(drop, " " $i " ") == 0) }
    { out = ""; sep = ""; for (i = 1; i <= NF; i++) if (keep[i]) { out = out sep $i; sep = "," }
      print out }'
}

# The spill note ("merged 72 sorted runs from temporary files") counts the runs written, which
# with more than one thread depends on how the work fell between the threads (71 or 72 on the
# sample at -j 2 from run to run; always the same at -j 1). The counts themselves do not change.
# filter_spill_note masks the number; the -j 1 case compares it exactly.
filter_spill_note() { sed -E 's/merged [0-9]+ sorted runs/merged N sorted runs/'; }

# Commands that take -j (all but tokenize and kwic) and -q (all).
takes_j() { [[ $1 != tokenize && $1 != kwic ]]; }

# run_side BIN SIDE NAME THREADS SUB ARGS...
#   Runs BIN SUB [-j THREADS] [-q] ARGS... in $W/SIDE. `{OUT}` in an argument becomes NAME.out
#   (a folder for -o files, relative to $W/SIDE). Options from the environment of the call:
#   STDIN=path (relative to $W/SIDE) feeds stdin; NOQUIET=1 leaves out -q; RAW=1 leaves out
#   -j and -q (for --help, --version); FILTER=function rewrites stdout (the raw stdout is kept
#   as NAME.raw), ERRFILTER=function stderr (raw: NAME.stderr.raw).
run_side() {
  local bin=$1 side=$2 name=$3 threads=$4 sub=$5; shift 5
  local dir=$W/$side args=() a flags=()
  mkdir -p "$dir/$name.out"
  for a in "$@"; do args+=("${a//\{OUT\}/$name.out}"); done
  if [[ ${RAW:-0} != 1 ]]; then
    if takes_j "$sub" && [[ -n $threads ]]; then flags+=(-j "$threads"); fi
    [[ ${NOQUIET:-0} == 1 ]] || flags+=(-q)
  fi
  local stdout=$dir/$name
  [[ -n ${FILTER:-} ]] && stdout=$dir/$name.raw
  local cmd=("$bin")
  [[ -n $sub ]] && cmd+=("$sub") # an empty SUB: no subcommand at all
  (cd "$dir" && timeout "$TIMEOUT" "${cmd[@]}" "${flags[@]}" "${args[@]}" \
     <"${STDIN:-/dev/null}" >"$stdout" 2>"$dir/$name.stderr")
  echo $? > "$dir/$name.rc"
  if [[ -n ${FILTER:-} ]]; then "$FILTER" < "$stdout" > "$dir/$name"; fi
  if [[ -n ${ERRFILTER:-} ]]; then
    mv "$dir/$name.stderr" "$dir/$name.stderr.raw"
    "$ERRFILTER" < "$dir/$name.stderr.raw" > "$dir/$name.stderr"
  fi
  echo "(cd $dir && ${cmd[*]} ${flags[*]} ${args[*]}${STDIN:+ < $STDIN})" > "$dir/$name.cmd"
}

excluded() { # NAME RELPATH -> true when left out by EXCLUDE
  local e
  for e in "${EXCLUDE[@]}"; do
    # shellcheck disable=SC2053
    [[ $1 == ${e%%:*} && $2 == ${e#*:} ]] && return 0
  done
  return 1
}

n_cases=0 n_diff=0
diff_names=() failed=()
# compare SIDE1 SIDE2 NAME LABEL -> prints `same LABEL` or `DIFF LABEL (what)`
compare() {
  local d1=$W/$1 d2=$W/$2 name=$3 label=$4 what=() rc1 rc2 f
  rc1=$(cat "$d1/$name.rc") rc2=$(cat "$d2/$name.rc")
  [[ $rc1 == "$rc2" ]] || what+=("exit $rc1 vs $rc2")
  cmp -s "$d1/$name" "$d2/$name" || what+=("stdout")
  cmp -s "$d1/$name.stderr" "$d2/$name.stderr" || what+=("stderr")
  local l1 l2
  l1=$(cd "$d1/$name.out" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
  l2=$(cd "$d2/$name.out" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
  [[ $l1 == "$l2" ]] || what+=("file list")
  while IFS= read -r f; do
    [[ -z $f ]] && continue
    excluded "$name" "$f" && continue
    [[ -f $d2/$name.out/$f ]] || continue
    cmp -s "$d1/$name.out/$f" "$d2/$name.out/$f" || what+=("$f")
  done <<<"$l1"
  n_cases=$((n_cases + 1))
  if [[ ${#what[@]} -eq 0 ]]; then
    if [[ $rc1 != 0 ]]; then
      echo "same $label (exit $rc1 in both)"
      [[ $name == err.* ]] || failed+=("$label (exit $rc1)")
    else
      echo "same $label"
    fi
  else
    local IFS=,
    echo "DIFF $label (${what[*]})"
    n_diff=$((n_diff + 1)); diff_names+=("$label")
    if [[ $rc1 != 0 || $rc2 != 0 ]] && [[ $name != err.* ]]; then failed+=("$label (exit $rc1 vs $rc2)"); fi
  fi
}

# c NAME SUB ARGS...: BEFORE vs AFTER, both with -j 2 (J=1 in the environment: -j 1).
c() {
  local name=$1; shift
  run_side "$BEFORE_BIN" before "$name" "${J:-2}" "$@"
  run_side "$AFTER_BIN" after "$name" "${J:-2}" "$@"
  compare before after "$name" "$name"
}
# jc NAME SUB ARGS...: AFTER only, -j 1 vs -j 2.
jc() {
  local name=$1; shift
  run_side "$AFTER_BIN" threads-j1 "$name" 1 "$@"
  run_side "$AFTER_BIN" threads-j2 "$name" 2 "$@"
  compare threads-j1 threads-j2 "$name" "j1-vs-j2:$name"
}

S=in/sample
FONT=$REPO/data/fonts/NotoSansArabic-Regular.ttf
cp "$FONT" "$IN/font.ttf" 2>/dev/null || FONT=

# ---------------------------------------------------------------------------------------------
echo "== part 1: the sample (data/sample)"

# the command line itself: help texts and version (clap takes `about` from the package
# description and the version from the package, so a renamed or re-described package shows here)
RAW=1 c s.help.main           --help
RAW=1 c s.help.version        --version
RAW=1 c s.help.main-short     -h
RAW=1 c err.help.no-command   ""
for sub in tokenize freq ngrams cooc collocates keyness kwic dispersion lexdiv tfidf zipf heaps \
           chart bench report; do
  RAW=1 c s.help.$sub         $sub --help
done
RAW=1 c s.help.help-freq      help freq
RAW=1 c s.help.freq-short     freq -h
RAW=1 c s.help.sub-version    freq --version
RAW=1 c err.help.unknown-cmd  nosuchcommand
RAW=1 c err.help.unknown-flag freq --no-such-flag in/sample

# tokenize (reads lines; no -j)
c s.tokenize.words             tokenize $S
c s.tokenize.camel             tokenize --scheme camel $S
c s.tokenize.camel-split       tokenize --scheme camel --split-digits in/edge.txt in/one.txt
c s.tokenize.whitespace        tokenize --scheme whitespace $S
c s.tokenize.clitic            tokenize --scheme clitic $S
c s.tokenize.clitic-d3-restore tokenize --scheme clitic --clitic-style d3 --restore --mark-clitics $S
c s.tokenize.clitic-jsonl      tokenize --scheme clitic --restore --format jsonl $S
c s.tokenize.search            tokenize --normalize search $S
c s.tokenize.none-jsonl        tokenize --normalize none --format jsonl $S
c s.tokenize.steps             tokenize --normalize nfc,dediac,alef,maksura,teh,hamza,digits,lower in/edge.txt
STDIN=in/edge.txt c s.tokenize.stdin-clitic tokenize --scheme clitic --restore --mark-clitics
STDIN=in/edge.txt c s.tokenize.stdin-jsonl  tokenize --format jsonl --normalize search
c s.tokenize.cp1256            tokenize in/one.cp1256.txt
c s.tokenize.cp1256-label      tokenize --encoding windows-1256 in/one.cp1256.txt
c s.tokenize.utf16             tokenize in/one.utf16.txt
c s.tokenize.gz                tokenize in/one.txt.gz
c s.tokenize.csv-column        tokenize --column text in/sample.csv

# freq
c s.freq.default           freq $S
c s.freq.stop-punct        freq --stopwords ar --drop-punct $S
c s.freq.top               freq --top 20 $S
c s.freq.min-count         freq --min-count 3 --format tsv $S
c s.freq.json              freq --top 50 --format json $S
c s.freq.jsonl             freq --top 50 --format jsonl $S
c s.freq.table             freq --top 50 --format table $S
c s.freq.o-files           freq --stopwords ar -o '{OUT}/f.csv' $S
c s.freq.o-tsv             freq -o '{OUT}/f.tsv' $S
c s.freq.o-json            freq -o '{OUT}/f.json' $S
c s.freq.o-jsonl           freq -o '{OUT}/f.jsonl' $S
c s.freq.parquet           freq -o '{OUT}/f.parquet' $S
c s.freq.parquet-format    freq --format parquet -o '{OUT}/f.bin' $S
c s.freq.search-clitic     freq --normalize search --scheme clitic --stopwords ar --drop-punct $S
c s.freq.clitic-d3-restore freq --scheme clitic --clitic-style d3 --restore $S
c s.freq.camel             freq --scheme camel --split-digits $S
c s.freq.whitespace        freq --scheme whitespace --normalize none $S
c s.freq.stopfile          freq --stopwords in/stop.txt $S
c s.freq.tar-gz            freq in/sample.tar.gz
c s.freq.encodings         freq in/one.txt in/one.cp1256.txt in/one.utf16.txt in/one.txt.gz
c s.freq.csv               freq in/sample.csv
c s.freq.edge              freq --normalize search in/edge.txt
c s.freq.files-list        freq "${SAMPLE_A[@]}"

# ngrams
c s.ngrams.2               ngrams -n 2 $S
c s.ngrams.1-3             ngrams -n 1..3 $S
c s.ngrams.skip1           ngrams -n 2 --skip 1 $S
c s.ngrams.3-skip2         ngrams -n 3 --skip 2 --min-count 2 $S
c s.ngrams.stop            ngrams -n 2 --stopwords ar $S
c s.ngrams.stop-edge-top   ngrams -n 2 --stopwords ar --stopwords-at edge --top 10 $S
c s.ngrams.cross           ngrams -n 3 --cross $S
c s.ngrams.spill           ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' $S
c s.ngrams.spill-skip      ngrams -n 2 --skip 1 --max-memory 64K --spill-dir '{OUT}' --format jsonl $S
NOQUIET=1 ERRFILTER=filter_spill_note \
  c s.ngrams.spill-noquiet ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' --top 20 $S
NOQUIET=1 J=1 c s.ngrams.spill-noquiet-j1 ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' --top 20 $S
NOQUIET=1 J=1 c s.cooc.spill-noquiet-j1   cooc --max-memory 64K --spill-dir '{OUT}' --top 20 $S
c s.ngrams.clitic-parquet  ngrams -n 1..2 --scheme clitic -o '{OUT}/n.parquet' $S

# cooc
c s.cooc.window5           cooc --window 5 $S
c s.cooc.left-right        cooc --left 2 --right 0 --min-count 2 $S
c s.cooc.sentence          cooc --unit sentence --top 500 $S
c s.cooc.doc               cooc --unit doc --top 500 $S
c s.cooc.all-measures      cooc --measure all --min-count 2 $S
c s.cooc.measures-order    cooc --measure ll,npmi,dice,jaccard,fisher --stopwords ar --top 200 $S
c s.cooc.cross             cooc --window 3 --cross --top 300 --format json $S
c s.cooc.spill             cooc --max-memory 64K --spill-dir '{OUT}' $S
c s.cooc.spill-sentence    cooc --unit sentence --max-memory 64K --spill-dir '{OUT}' --top 300 $S

# collocates (عام: 61 occurrences in the sample)
c s.collocates.word        collocates عام $S
c s.collocates.window-top  collocates عام --window 3 --top 20 --measure ll,logdice,mi $S
c s.collocates.left-right  collocates الأول --left 4 --right 1 --measure all $S
c s.collocates.prefix      collocates 'ال*' --stopwords ar --min-count 2 $S
c s.collocates.regex       collocates --regex 'عا.' $S
c s.collocates.regex-alt   collocates --regex '(في|من)' --top 30 --format json $S
c s.collocates.search      collocates الاول --normalize search --cross $S
c s.collocates.clitic      collocates و --scheme clitic --top 30 $S
c s.collocates.parquet     collocates عام -o '{OUT}/c.parquet' $S

# keyness: the two halves of the sample (folders, then the same halves as file lists)
c s.keyness.halves         keyness in/sample_a -r in/sample_b
c s.keyness.file-lists     keyness "${SAMPLE_A[@]}" -r "${SAMPLE_B[@]}"
c s.keyness.log-ratio      keyness --sort log_ratio --top 50 in/sample_b -r in/sample_a
c s.keyness.lrc            keyness --sort lrc --stopwords ar --min-count 3 in/sample_a -r in/sample_b
c s.keyness.simple-maths   keyness --sort simple_maths --smoothing 100 in/sample_a -r in/sample_b
c s.keyness.log-odds       keyness --sort log_odds_z --format json in/sample_a -r in/sample_b
c s.keyness.bic-clitic     keyness --sort bic --scheme clitic in/sample_a -r in/sample_b
c s.keyness.by-group       keyness --by group in/sample.csv
c s.keyness.by-group-top   keyness --by GROUP --top 10 --sort ell -o '{OUT}/k.parquet' in/sample.csv
c err.keyness.by-missing   keyness --by nosuchfield $S

# kwic (no -j)
c s.kwic.csv               kwic عام $S
c s.kwic.table             kwic عام --format table --width 30 $S
c s.kwic.tsv               kwic عام --format tsv --context 3 $S
c s.kwic.json              kwic عام --format json $S
c s.kwic.jsonl             kwic عام --format jsonl $S
c s.kwic.html              kwic عام -o '{OUT}/k.html' $S
c s.kwic.prefix-sort       kwic 'ال*' --context 7 --sort R1,R2 --limit 20 $S
c s.kwic.sort-l1           kwic في --sort L1,node --format tsv $S
c s.kwic.limit             kwic من --limit 5 $S
c s.kwic.phrase            kwic 'عام 2004' $S
c s.kwic.regex             kwic --regex 'عا.' $S
c s.kwic.search            kwic الاول --normalize search $S
c s.kwic.clitic            kwic ها --scheme clitic --limit 30 $S
c s.kwic.csv-input         kwic عام in/sample.csv
c s.kwic.edge              kwic الطالب --normalize search in/edge.txt

# dispersion
c s.dispersion.default     dispersion $S
c s.dispersion.parts10     dispersion --parts 10 $S
c s.dispersion.top         dispersion --top 50 --format json $S
c s.dispersion.min-count   dispersion --min-count 5 --normalize search $S

# lexdiv
c s.lexdiv.default         lexdiv $S
c s.lexdiv.by-doc          lexdiv --by doc $S
c s.lexdiv.params          lexdiv --by doc --window 50 --segment 50 --mtld-threshold 0.8 --hdd-sample 30 $S
c s.lexdiv.json            lexdiv --format json --scheme clitic $S

# tfidf
c s.tfidf.default          tfidf $S
c s.tfidf.log-smooth       tfidf --tf log --idf smooth $S
c s.tfidf.augmented-prob   tfidf --tf augmented --idf prob --norm none $S
c s.tfidf.boolean-none     tfidf --tf boolean --idf none --top 5 $S
c s.tfidf.min-df           tfidf --min-df 2 --top 10 --format jsonl $S
c s.tfidf.matrix           tfidf --matrix '{OUT}/m' $S
c s.tfidf.matrix-options   tfidf --matrix '{OUT}/m' --tf log --idf smooth --min-df 2 $S

# zipf, heaps
c s.zipf.default           zipf $S
c s.zipf.top               zipf --top 100 --format json $S
c s.zipf.fit               zipf --fit $S
NOQUIET=1 c s.zipf.fit-noquiet zipf --fit $S
c s.heaps.default          heaps $S
c s.heaps.per-decade       heaps --per-decade 5 $S
c s.heaps.fit              heaps --fit $S
c s.heaps.fit-clitic       heaps --fit --scheme clitic --format json $S

# chart: every kind, SVG and PNG
for fmt in svg png; do
  c s.chart.freq.$fmt        chart freq $S --stopwords ar --top 15 -o "{OUT}/c.$fmt" --title "أكثر الكلمات"
  c s.chart.ngrams.$fmt      chart ngrams -n 2 $S --stopwords ar -o "{OUT}/c.$fmt"
  c s.chart.keyness.$fmt     chart keyness in/sample_a --reference in/sample_b -o "{OUT}/c.$fmt"
  c s.chart.collocates.$fmt  chart collocates عام $S --measure logdice -o "{OUT}/c.$fmt"
  c s.chart.zipf.$fmt        chart zipf $S -o "{OUT}/c.$fmt"
  c s.chart.heaps.$fmt       chart heaps $S -o "{OUT}/c.$fmt"
  c s.chart.dispersion.$fmt  chart dispersion عام الأول $S -o "{OUT}/c.$fmt"
  c s.chart.timeline.$fmt    chart timeline عام في in/sample.csv --by date --period month -o "{OUT}/c.$fmt"
  c s.chart.cloud.$fmt       chart cloud $S --stopwords ar --seed 7 --size square -o "{OUT}/c.$fmt"
  c s.chart.bench.$fmt       chart bench in/bench.csv --metric fertility -o "{OUT}/c.$fmt"
done
c s.chart.freq-options     chart freq $S --top 10 --per-million --ltr --theme dark --size 800x600 \
                             --digits arabic --title T --subtitle "عنوان فرعي" --source "المصدر: PUD" -o '{OUT}/c.svg'
c s.chart.freq-scale2      chart freq $S --theme print --scale 2 -o '{OUT}/c.png'
c s.chart.freq-dpi         chart freq $S --dpi 192 --size story -o '{OUT}/c.png'
c s.chart.format-flag      chart zipf $S --format svg -o '{OUT}/c.img'
c s.chart.terms-flag       chart dispersion -t عام -t من $S -o '{OUT}/c.svg'
c s.chart.timeline-year    chart timeline -t عام in/sample.csv --period year -o '{OUT}/c.svg'
c s.chart.cloud-seed1      chart cloud $S --top 40 -o '{OUT}/c.svg'
c s.chart.collocates-mi    chart collocates الأول $S --measure mi --window 3 --min-count 1 -o '{OUT}/c.svg'
c s.chart.ngrams3          chart ngrams -n 3 $S --min-count 2 --top 8 -o '{OUT}/c.svg'
c s.chart.bench-metric     chart bench in/bench.csv --metric chars_per_token --top 3 -o '{OUT}/c.svg'
[[ -n $FONT ]] && c s.chart.font chart freq $S --font in/font.ttf -o '{OUT}/c.png'

# bench: only the cheap tokenizers and tiny trained vocabularies
c s.bench.schemes          bench $S -t words,clitic,camel,whitespace --no-timing
c s.bench.normalize        bench $S -t words,words@search,clitic --normalize none --normalize light --no-timing
c s.bench.trained-tiny     bench $S -t bpe:300,wordpiece:300,unigram:300 --no-timing
c s.bench.vocab-list       bench $S -t bpe,unigram --vocab 200,400 --no-timing --format json
c s.bench.tiktoken         bench $S -t tiktoken:cl100k_base,tiktoken:o200k_base --no-timing
c s.bench.sample-seed      bench $S -t words,camel --sample 0.5 --seed 7 --train-fraction 0.2 --no-timing
c s.bench.parquet          bench $S -t words,whitespace --no-timing -o '{OUT}/b.parquet'
FILTER=filter_bench c s.bench.timing-filtered bench $S -t words,clitic --format csv

# report: every file of the folder (see EXCLUDE above)
c s.report.default         report $S -o '{OUT}/r'
c s.report.options         report $S -o '{OUT}/r' --stopwords none --top 20 --title "عينة" --scheme clitic
c s.report.reference       report in/sample_a -o '{OUT}/r' --reference in/sample_b --normalize search
c s.report.by-date         report in/sample.csv -o '{OUT}/r' --by group --date date
c s.report.by-file         report in/sample_a in/sample_b -o '{OUT}/r' --by file --stopwords in/stop.txt
c s.report.spill           report $S -o '{OUT}/r' --max-memory 64K --spill-dir '{OUT}'

# errors: the message and exit status must not change either
c err.freq.missing-file    freq in/no-such-file.txt
c err.ngrams.bad-n         ngrams -n 9 $S
c err.chart.no-kind        chart nosuchkind $S -o '{OUT}/c.svg'
c err.report.not-empty     report $S -o in/not-a-report

# thread-count independence (AFTER only)
jc s.freq.default          freq $S
jc s.ngrams.spill          ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' $S
jc s.cooc.sentence         cooc --unit sentence --top 500 $S
jc s.keyness.by-group      keyness --by group in/sample.csv
jc s.tfidf.matrix          tfidf --matrix '{OUT}/m' $S
jc s.lexdiv.by-doc         lexdiv --by doc $S
jc s.dispersion.parts10    dispersion --parts 10 $S
jc s.chart.cloud           chart cloud $S --stopwords ar -o '{OUT}/c.png'
jc s.bench.schemes-bpe     bench $S -t words,clitic,bpe:300 --no-timing
jc s.report.by-date        report in/sample.csv -o '{OUT}/r' --by group --date date

# ---------------------------------------------------------------------------------------------
if [[ $HAVE_SHARED == 1 ]]; then
  echo "== part 2: the shared corpus slice"
  ANT=in/ant
  SNN=in/snn/2015-07-23.json
  PUD=in/shared/ud_arabic_pud/ar_pud-ud-test.shared-half.conllu
  QURAN=in/shared/tanzil_quran/quran-uthmani.txt
  QURAN_CLEAN=in/shared/tanzil_quran/quran-simple-clean.txt

  c d.tokenize.ant           tokenize $ANT
  c d.tokenize.snn-clitic    tokenize --scheme clitic --restore --format jsonl $SNN
  c d.tokenize.quran-search  tokenize --normalize search $QURAN
  c d.tokenize.quran-none    tokenize --normalize none --scheme whitespace $QURAN
  c d.tokenize.pud-conllu    tokenize --format-in conllu --conllu-form $PUD
  c d.tokenize.ant-field     tokenize --field TITLE $ANT

  c d.freq.ant               freq $ANT
  c d.freq.ant-stop          freq --stopwords ar --drop-punct --top 200 $ANT
  c d.freq.snn               freq $SNN
  c d.freq.snn-clitic-search freq --scheme clitic --normalize search -o '{OUT}/f.parquet' $SNN
  c d.freq.quran             freq $QURAN $QURAN_CLEAN
  c d.freq.quran-search      freq --normalize search --format json $QURAN
  c d.freq.pud               freq $PUD
  c d.freq.pud-form          freq --conllu-form $PUD
  c d.freq.snn-title         freq --field title $SNN

  c d.ngrams.ant-2           ngrams -n 2 $ANT
  c d.ngrams.ant-1-3-spill   ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' $ANT
  c d.ngrams.snn-stop-edge   ngrams -n 2..3 --stopwords ar --stopwords-at edge --min-count 2 $SNN
  c d.ngrams.snn-skip-spill  ngrams -n 2 --skip 1 --min-count 2 --max-memory 256K --spill-dir '{OUT}' $SNN

  c d.cooc.ant               cooc --min-count 2 $ANT
  c d.cooc.ant-sentence      cooc --unit sentence --min-count 3 --stopwords ar $ANT
  c d.cooc.ant-doc-spill     cooc --unit doc --min-count 5 --max-memory 256K --spill-dir '{OUT}' $ANT
  c d.cooc.snn-spill         cooc --min-count 2 --measure all --max-memory 256K --spill-dir '{OUT}' $SNN

  c d.collocates.ant         collocates الرئيس --window 5 --measure logdice,mi,t,ll --top 50 $ANT
  c d.collocates.snn-prefix  collocates 'ال*' --stopwords ar --min-count 3 $SNN
  c d.collocates.snn-regex   collocates --regex 'السعود.*' --min-count 2 $SNN

  c d.keyness.ant-by-src     keyness --by SRC --top 50 $ANT
  c d.keyness.ant-by-cat     keyness --by CAT --top 50 --sort log_ratio --stopwords ar $ANT
  c d.keyness.snn-by-source  keyness --by source --top 30 $SNN
  c d.keyness.snn-vs-ant     keyness $SNN -r $ANT --min-count 5
  c d.keyness.quran-vs-snn   keyness $QURAN_CLEAN -r $SNN --normalize search --top 100

  c d.kwic.ant               kwic الرئيس $ANT --limit 200
  c d.kwic.ant-sort-html     kwic 'ال*' $ANT --sort R1,R2 --limit 100 -o '{OUT}/k.html'
  c d.kwic.snn-jsonl         kwic السعودية $SNN --format jsonl
  c d.kwic.quran             kwic الله $QURAN --normalize search --limit 100 --format tsv

  c d.dispersion.ant         dispersion --top 500 $ANT
  c d.dispersion.snn-parts   dispersion --parts 20 --min-count 10 $SNN
  c d.lexdiv.ant-by-doc      lexdiv --by doc $ANT
  c d.lexdiv.snn             lexdiv $SNN
  c d.tfidf.ant              tfidf --top 10 $ANT
  c d.tfidf.ant-matrix       tfidf --matrix '{OUT}/m' --min-df 2 $ANT
  c d.tfidf.snn              tfidf --top 5 --tf log --idf smooth $SNN
  c d.zipf.ant               zipf --top 1000 $ANT
  c d.zipf.snn-fit           zipf --fit $SNN
  c d.heaps.ant              heaps $ANT
  c d.heaps.snn-fit          heaps --fit $SNN

  for fmt in svg png; do
    c d.chart.freq.$fmt      chart freq $ANT --stopwords ar -o "{OUT}/c.$fmt"
    c d.chart.keyness.$fmt   chart keyness $SNN --reference $ANT -o "{OUT}/c.$fmt"
    c d.chart.timeline.$fmt  chart timeline الرئيس السعودية $ANT --by TIME --period day -o "{OUT}/c.$fmt"
    c d.chart.cloud.$fmt     chart cloud $SNN --stopwords ar -o "{OUT}/c.$fmt"
  done
  c d.chart.ngrams           chart ngrams $SNN --stopwords ar -o '{OUT}/c.svg'
  c d.chart.collocates       chart collocates الرئيس $ANT -o '{OUT}/c.svg'
  c d.chart.zipf             chart zipf $SNN -o '{OUT}/c.svg'
  c d.chart.heaps            chart heaps $ANT -o '{OUT}/c.svg'
  c d.chart.dispersion       chart dispersion السعودية الرياض $SNN -o '{OUT}/c.png'

  c d.bench.gold             bench $S -t words,clitic,camel,whitespace --gold $PUD --no-timing
  c d.bench.ant              bench $ANT -t words,clitic,whitespace,bpe:500 --no-timing
  c d.bench.snn-sample       bench $SNN -t words,camel --sample 0.3 --no-timing

  c d.report.ant-by-src      report $ANT -o '{OUT}/r' --by SRC
  c d.report.ant-by-cat      report $ANT -o '{OUT}/r' --by CAT --top 30
  c d.report.snn-by-source   report $SNN -o '{OUT}/r' --by source
  c d.report.snn-vs-ant      report $SNN -o '{OUT}/r' --reference $ANT --max-memory 256K --spill-dir '{OUT}'
  c d.report.quran           report $QURAN -o '{OUT}/r' --normalize search

  jc d.freq.ant              freq $ANT
  jc d.ngrams.ant-1-3-spill  ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' $ANT
  jc d.cooc.ant-sentence     cooc --unit sentence --min-count 3 --stopwords ar $ANT
  jc d.keyness.ant-by-src    keyness --by SRC --top 50 $ANT
  jc d.dispersion.snn-parts  dispersion --parts 20 --min-count 10 $SNN
  jc d.tfidf.ant-matrix      tfidf --matrix '{OUT}/m' --min-df 2 $ANT
  jc d.lexdiv.ant-by-doc     lexdiv --by doc $ANT
  jc d.heaps.ant             heaps $ANT
  jc d.report.ant-by-src     report $ANT -o '{OUT}/r' --by SRC
  jc d.report.snn-by-source  report $SNN -o '{OUT}/r' --by source
fi

# Spilling must not change the counts (AFTER only): the same n-grams in memory and via disk.
spill_in=$S; [[ $HAVE_SHARED == 1 ]] && spill_in=in/ant
run_side "$AFTER_BIN" spill-off ngrams 2 ngrams -n 1..3 "$spill_in"
run_side "$AFTER_BIN" spill-on ngrams 2 ngrams -n 1..3 --max-memory 64K --spill-dir '{OUT}' "$spill_in"
rm -rf "$W/spill-on/ngrams.out" "$W/spill-off/ngrams.out"; mkdir -p "$W/spill-on/ngrams.out" "$W/spill-off/ngrams.out"
compare spill-off spill-on ngrams "spill-vs-memory:ngrams"

# ---------------------------------------------------------------------------------------------
echo "== summary"
echo "$n_cases cases, $((n_cases - n_diff)) same, $n_diff differ ($((SECONDS - t_start)) s); outputs in $W/{before,after}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "commands that exited non-zero (not err.* cases):"
  printf '  %s\n' "${failed[@]}"
fi
if [[ $n_diff -gt 0 ]]; then
  echo "differ:"
  printf '  %s\n' "${diff_names[@]}"
  echo "(each case: <side>/NAME stdout, NAME.stderr, NAME.rc, NAME.out/ files, NAME.cmd the command)"
  exit 1
fi
exit 0
