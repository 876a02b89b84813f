# Sourced by scripts/cram-suite and scripts/prysk-suite: the per-file results of a peer (cram,
# prysk) and of transcript, and their comparison. Both scripts set `work` (the run's directory)
# and `status` (0, set to 1 here when results differ).

# A peer's verbose output (`FILE.t: passed|failed|skipped|empty`) as sorted `FILE.t STATUS`
# lines, with the statuses as transcript's report names them.
peer_results() {
  sed -n 's/^\(.*\.t\): \(passed\|failed\|skipped\|empty\)$/\1 \2/p' \
    | sed 's/ passed$/ PASS/; s/ failed$/ FAIL/; s/ skipped$/ SKIP/; s/ empty$/ SKIP/' | sort
}

# compare_results SUITE PEER RUN [LEFT-OUT...]: $work/RUN.results against $work/PEER.results,
# without the files LEFT-OUT (each checks its own `.t` name, which a converted file cannot keep).
compare_results() {
  local suite=$1 peer=$2 run=$3 known
  shift 3
  local expected="$work/$peer.results"
  for known in "$@"; do
    echo "$suite: $run: $known left out: it checks its own file name"
    grep -v "^$known " "$expected" > "$work/expected.results"; expected="$work/expected.results"
    grep -v "^$known " "$work/$run.results" > "$work/$run.kept"; mv "$work/$run.kept" "$work/$run.results"
  done
  local results="$work/$run.results"
  if diff -u "$expected" "$results" > "$work/$run.diff"; then
    echo "$suite: $run: $(wc -l < "$results") files, each with $peer's result ($(grep -c ' PASS$' "$results") passed, $(grep -c ' FAIL$' "$results") failed, $(grep -c ' SKIP$' "$results") skipped)"
  else
    echo "$suite: $run: results differ from $peer's:"
    cat "$work/$run.diff"
    status=1
  fi
}
