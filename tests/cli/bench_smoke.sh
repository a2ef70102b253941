#!/usr/bin/env bash
# tests/cli/bench_smoke.sh - `make bench` (bench/run.sh) on tiny inputs: the
# generator is deterministic, every side of the comparison runs, the
# workspaces hold what the generator wrote, and the table comes out with
# numbers in every row.  The timings themselves are not judged here.
. "$(dirname "$0")/../lib.sh"

# The bench links its query program with the objects of the normal build.
build=$(dirname "$PMSCOPE_FAST")
[ -d "$build/obj/src" ] || build=$PM_ROOT/build
data=$T/data

out=$(cd "$PM_ROOT" && BUILD=$build PMSCOPE=$PMSCOPE_FAST BENCH_DATA=$data \
      BENCH_BIN=$T/bin BENCH_HAR_ENTRIES=150 BENCH_HAR_MB=0.6 BENCH_MESSAGES=1000 \
      BENCH_FRAMES=12 BENCH_ORIGINS=6 BENCH_BUNDLE_MB=0.1 BENCH_ROUNDS=2 \
      bash bench/run.sh 2>&1)
rc=$?
expect_eq "bench/run.sh exits 0" "$rc" "0"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -20

for section in "### HAR import: " "### Trace import: " "### TUI store queries: " \
               "### JS scanner: " "### Targets"; do
    expect_match "table has $section" "$out" "^$section"
done
num='[0-9]+\.[0-9]+'
for tool in "pmscope" "Python reference \(json \+ sqlite3\)" "cat \(I/O floor\)" \
            "SQLite bulk insert floor"; do
    expect_match "import row: $tool" "$out" "^\| $tool[^|]* \| $num \| $num \| $num \| $num \|"
done
if command -v jq >/dev/null; then
    expect_match "import row: jq" "$out" "^\| jq -c [^|]* \| $num \| $num \| $num \| $num \|"
fi
for q in "open" "first page" "page scroll" "filter first page" "follow flow"; do
    expect_match "query row: $q" "$out" "^\| $q \| [^|]+ \| $num \| $num \| $num \| [0-9]+ \|"
done
expect_match "filter rows cover each kind" "$(printf '%s\n' "$out" | grep '^| filter first page' | tr '\n' ' ')" \
    'from:.*to:.*origin:.*checkout.*data~.*check:none.*marked'
expect_match "scanner throughput" "$out" "full scan +$num MB/s"
expect_match "targets judged" "$out" "^\| HAR import >= 5x faster .*\| (met|MISSED) \| (met|MISSED) \|"
expect_eq "table saved" "$(grep -c '^### ' "$data/results.md")" "5"

# The workspaces hold what was generated: one request per HAR entry, every
# message of the trace.
count() {
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])
PY
}
expect_eq "HAR workspace: one request per entry" \
    "$(count "$data/ws/har.pmscope" "select count(*) from requests")" "150"
expect_eq "trace workspace: every message" \
    "$(count "$data/ws/trace.pmscope" "select count(*) from messages")" "1000"
expect_match "HAR bodies carry message listeners" \
    "$(count "$data/ws/har.pmscope" "select count(*) from listeners")" '^[1-9][0-9]*$'

# Same seed, same bytes; another seed, other bytes.
gen() { python3 "$PM_ROOT/bench/gen.py" trace "$1" --messages 300 --frames 5 --seed "$2"; }
gen a.jsonl 7; gen b.jsonl 7; gen c.jsonl 8
expect_eq "generator is deterministic" "$(cmp -s a.jsonl b.jsonl && echo same)" "same"
expect_eq "seed changes the data" "$(cmp -s a.jsonl c.jsonl || echo differ)" "differ"
