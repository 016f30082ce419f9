#!/usr/bin/env bash
# The long fuzzing campaign: every fuzz property of the workspace with many more cases than CI
# runs (CI runs each with its default of a few hundred): 1.74 million cases in all, about 20
# minutes on 2 cores. Prints the cases and time of each property and the total at the end;
# exits 1 when any property failed (proptest prints the minimal failing input and saves it in
# the test's `.proptest-regressions` file).
#
#   nice -n 10 scripts/fuzz_long.sh            # the full campaign
#   FUZZ_SCALE=0.01 scripts/fuzz_long.sh       # the same properties, 1% of the cases
set -uo pipefail
cd "$(dirname "$0")/.."

scale=${FUZZ_SCALE:-1}

# crate  test-file  property  cases (cheap tokenizer properties take most of them)
plan=(
  "kalima-text   fuzz         words_invariants                                 250000"
  "kalima-text   fuzz         camel_invariants                                 250000"
  "kalima-text   fuzz         whitespace_invariants                            250000"
  "kalima-text   fuzz         clitic_invariants                                250000"
  "kalima-text   fuzz         any_steps_any_scheme                             250000"
  "kalima-text   fuzz         arbitrary_strings                                250000"
  "kalima-corpus fuzz         every_format_encoding_and_wrapping_reads_back     60000"
  "kalima-corpus fuzz         invalid_utf8_is_reported_and_replaced             40000"
  "kalima-corpus fuzz         arbitrary_bytes_never_panic                       60000"
  "kalima-corpus fuzz         mutated_files_never_panic                         60000"
  "kalima-stats  fuzz_counts  counts_do_not_depend_on_chunk_size_or_threads     20000"
)

echo "building the fuzz tests (release)…"
# Build once and run the test binaries themselves, so that edits made while the campaign runs
# neither rebuild nor change what is tested.
bins=$(cargo test --release --no-run --message-format=json \
         -p kalima-text --test fuzz -p kalima-corpus --test fuzz -p kalima-stats --test fuzz_counts \
       | jq -r 'select(.reason == "compiler-artifact" and .executable != null and .target.kind == ["test"])
                | "\(.package_id) \(.target.name) \(.executable)"') || exit 1
binary() { # crate test-file -> executable
  awk -v c="$1" -v t="$2" '$0 ~ ("[/#]" c "[@#]") && $2 == t { print $3 }' <<<"$bins"
}

report=()
total=0
failed=0
start_all=$(date +%s)
for line in "${plan[@]}"; do
  read -r crate file prop cases <<<"$line"
  n=$(awk -v c="$cases" -v s="$scale" 'BEGIN { n = int(c * s); print (n < 1 ? 1 : n) }')
  echo "== $crate/$file::$prop: $n cases"
  t0=$(date +%s)
  exe=$(binary "$crate" "$file")
  [ -x "$exe" ] || { echo "no test binary for $crate/$file"; exit 1; }
  if (cd "crates/$crate" && PROPTEST_CASES=$n "$exe" --exact "$prop" --test-threads 1 -q); then
    status=ok
    total=$((total + n))
  else
    status=FAILED
    failed=$((failed + 1))
  fi
  t1=$(date +%s)
  report+=("$(printf '%-14s %-12s %-50s %9d %6ss  %s' "$crate" "$file" "$prop" "$n" "$((t1 - t0))" "$status")")
done
end_all=$(date +%s)

echo
echo "crate          file         property                                               cases   time  result"
printf '%s\n' "${report[@]}"
echo "total: $total cases passed in $((end_all - start_all)) s; $failed propert(y/ies) failed"
[ "$failed" -eq 0 ]
