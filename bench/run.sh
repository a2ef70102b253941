#!/usr/bin/env bash
# bench/run.sh - `make bench`: pmscope side by side with references and
# floors on large generated inputs, one table at the end.
#
#   HAR import    pmscope | bench/ref_import.py (json + sqlite3, same schema
#                 and work) | jq -c '.log.entries[]' (parse only) | cat (I/O)
#   trace import  pmscope | bench/ref_import.py | bench/bulk_insert (the same
#                 rows into the same schema, indexes and FTS5 included, one
#                 prepared statement, one transaction: the SQLite floor)
#   TUI queries   bench/query_bench on the trace workspace (and on a tiny one
#                 to show the RSS does not grow with the workspace)
#   JS scanner    pmscope analyze --bench-scan on a generated bundle
#
# Every command runs under bench/measure (fork + wait4: wall, CPU, peak
# RSS).  Inputs come from bench/gen.py, deterministic from the seed, and are
# kept in $BENCH_DATA between runs.  Environment (defaults: the full bench):
#   BUILD=build  PMSCOPE=$BUILD/pmscope  BENCH_DATA=bench/data  BENCH_SEED=1
#   BENCH_HAR_ENTRIES=50000 BENCH_HAR_MB=200 BENCH_MESSAGES=1000000
#   BENCH_FRAMES=200 BENCH_ORIGINS=50 BENCH_BUNDLE_MB=5 BENCH_ROUNDS=15
#   BENCH_BIN=$BUILD/bench (where the bench programs are built)
# The table is printed and written to $BENCH_DATA/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
PMSCOPE=${PMSCOPE:-$BUILD/pmscope}
DATA=${BENCH_DATA:-bench/data}
SEED=${BENCH_SEED:-1}
HAR_ENTRIES=${BENCH_HAR_ENTRIES:-50000}
HAR_MB=${BENCH_HAR_MB:-200}
MESSAGES=${BENCH_MESSAGES:-1000000}
FRAMES=${BENCH_FRAMES:-200}
ORIGINS=${BENCH_ORIGINS:-50}
BUNDLE_MB=${BENCH_BUNDLE_MB:-5}
ROUNDS=${BENCH_ROUNDS:-15}

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$PMSCOPE" ] || die "$PMSCOPE not built (make pmscope, or set PMSCOPE)"
obj=$BUILD/obj
[ -f "$obj/src/store.o" ] || die "$obj has no objects to link the query bench with (set BUILD)"
command -v python3 >/dev/null || die "python3 is needed for the generator and the reference"

BIN=${BENCH_BIN:-$BUILD/bench}
mkdir -p "$DATA/ws" "$DATA/logs" "$BIN"
WS=$DATA/ws
LOGS=$DATA/logs
CFLAGS_BENCH="-std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE"
PKGS="ncursesw sqlite3 libcjson libcurl libcrypto libidn2 tree-sitter"

# ---- bench programs ---------------------------------------------------------
cc $CFLAGS_BENCH -o "$BIN/measure" bench/measure.c
cc $CFLAGS_BENCH -o "$BIN/bulk_insert" bench/bulk_insert.c $(pkg-config --cflags --libs sqlite3)
objs=$(find "$obj/src" "$obj/importers" "$obj/ui" "$obj/vendor" -name '*.o' ! -path "$obj/src/main.o" 2>/dev/null | sort)
# shellcheck disable=SC2086
cc $CFLAGS_BENCH -Isrc -Iimporters $(pkg-config --cflags $PKGS) -o "$BIN/query_bench" \
    bench/query_bench.c $objs $(pkg-config --libs $PKGS)

# ---- inputs (cached: the generator is deterministic) --------------------------
HAR=$DATA/har-s$SEED-e$HAR_ENTRIES-mb$HAR_MB.har
TRACE=$DATA/trace-s$SEED-m$MESSAGES-f$FRAMES-o$ORIGINS.jsonl
ROWS=${TRACE%.jsonl}.tsv
BUNDLE=$DATA/bundle-s$SEED-mb$BUNDLE_MB.js
gen() {
    local out=$1; shift
    if [ ! -s "$out" ]; then
        local t0=$SECONDS
        python3 bench/gen.py "$@" --seed "$SEED" || die "generator failed for $out"
        echo "generated $out in $((SECONDS - t0)) s"
    fi
}
gen "$HAR" har "$HAR.tmp" --entries "$HAR_ENTRIES" --mb "$HAR_MB" && \
    { [ ! -f "$HAR.tmp" ] || { mv "$HAR.tmp.meta" "$HAR.meta"; mv "$HAR.tmp" "$HAR"; }; }
if [ ! -s "$TRACE" ] || [ ! -s "$ROWS" ]; then
    rm -f "$TRACE"
    gen "$TRACE" trace "$TRACE.tmp" --messages "$MESSAGES" --frames "$FRAMES" \
        --origins "$ORIGINS" --rows "$ROWS.tmp"
    mv "$ROWS.tmp" "$ROWS"; mv "$TRACE.tmp" "$TRACE"
fi
gen "$BUNDLE" bundle "$BUNDLE.tmp" --mb "$BUNDLE_MB"
[ ! -f "$BUNDLE.tmp" ] || mv "$BUNDLE.tmp" "$BUNDLE"

# A workspace pmscope created: the schema the references copy.
SCHEMA_WS=$WS/schema.pmscope
rm -f "$SCHEMA_WS" "$SCHEMA_WS"-wal "$SCHEMA_WS"-shm
"$PMSCOPE" import -w "$SCHEMA_WS" sample-traces/demo.jsonl >/dev/null 2>&1 ||
    die "cannot create a workspace with $PMSCOPE"

# ---- measuring -------------------------------------------------------------------
# measure NAME [-i IN] [-o OUT] -- CMD...: sets WALL CPU RSS_MB from wait4.
measure() {
    local name=$1; shift
    local log=$LOGS/$name.log
    if ! "$BIN/measure" "$@" >"$log.out" 2>"$log"; then
        tail -5 "$log" >&2
        die "$name failed (log: $log)"
    fi
    local line
    line=$(grep '^measure: ' "$log" | tail -1)
    WALL=$(sed 's/.*wall=\([0-9.]*\).*/\1/' <<<"$line")
    CPU=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                printf "%.3f", v["user"] + v["sys"] }' <<<"$line")
    RSS_MB=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                   printf "%.1f", v["maxrss_kb"] / 1024 }' <<<"$line")
}
fresh() { rm -f "$1" "$1"-wal "$1"-shm; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

size_mb() { calc "%.1f" "$(stat -c %s "$1") / 1048576"; }
HAR_MB_REAL=$(size_mb "$HAR")
TRACE_MB_REAL=$(size_mb "$TRACE")
ROWS_MB_REAL=$(size_mb "$ROWS")

TABLE=()
row() { TABLE+=("$1"); }
# import_row LABEL INPUT_MB: a table row from WALL/CPU/RSS_MB and the
# pmscope run's PM_WALL/PM_CPU.
import_row() {
    local label=$1 mb=$2 ratio
    if [ "$label" = pmscope ]; then ratio="1.00"
    else ratio="$(calc "%.2f" "$WALL / $PM_WALL") ($(calc "%.2f" "$CPU / $PM_CPU"))"
    fi
    row "| $label | $WALL | $CPU | $(calc "%.1f" "$mb / $WALL") | $RSS_MB | $ratio |"
}

echo "== HAR import: $HAR ($HAR_MB_REAL MB, $HAR_ENTRIES entries)"
row ""
row "### HAR import: $HAR_MB_REAL MB, $HAR_ENTRIES entries"
row ""
row "| tool | wall s | CPU s | MB/s | peak RSS MB | tool time / pmscope time (CPU) |"
row "|---|---:|---:|---:|---:|---:|"
fresh "$WS/har.pmscope"
measure har-pmscope -- "$PMSCOPE" import -w "$WS/har.pmscope" "$HAR"
PM_WALL=$WALL PM_CPU=$CPU; HAR_PM_WALL=$WALL; HAR_PM_CPU=$CPU; HAR_PM_RSS=$RSS_MB
import_row pmscope "$HAR_MB_REAL"
measure har-python -- python3 bench/ref_import.py har "$HAR" "$WS/har-ref.db" "$SCHEMA_WS"
HAR_PY_WALL=$WALL; HAR_PY_CPU=$CPU
import_row "Python reference (json + sqlite3)" "$HAR_MB_REAL"
HAR_JQ_WALL=""
if command -v jq >/dev/null; then
    measure har-jq -o /dev/null -- jq -c '.log.entries[]' "$HAR"
    HAR_JQ_WALL=$WALL; HAR_JQ_CPU=$CPU
    import_row "jq -c '.log.entries[]' (parse only)" "$HAR_MB_REAL"
else
    row "| jq (not installed) | - | - | - | - | - |"
fi
measure har-cat -i "$HAR" -o /dev/null -- cat
import_row "cat (I/O floor)" "$HAR_MB_REAL"

echo "== trace import: $TRACE ($TRACE_MB_REAL MB, $MESSAGES messages)"
row ""
row "### Trace import: $TRACE_MB_REAL MB, $MESSAGES messages, $FRAMES frames, $ORIGINS origins"
row ""
row "| tool | wall s | CPU s | MB/s | peak RSS MB | tool time / pmscope time (CPU) |"
row "|---|---:|---:|---:|---:|---:|"
fresh "$WS/trace.pmscope"
measure trace-pmscope -- "$PMSCOPE" import -w "$WS/trace.pmscope" "$TRACE"
PM_WALL=$WALL PM_CPU=$CPU; TR_PM_WALL=$WALL; TR_PM_CPU=$CPU
import_row pmscope "$TRACE_MB_REAL"
measure trace-python -- python3 bench/ref_import.py trace "$TRACE" "$WS/trace-ref.db" "$SCHEMA_WS"
import_row "Python reference (json + sqlite3)" "$TRACE_MB_REAL"
measure trace-floor -- "$BIN/bulk_insert" "$SCHEMA_WS" "$ROWS" "$WS/trace-floor.db"
TR_FLOOR_WALL=$WALL; TR_FLOOR_CPU=$CPU
import_row "SQLite bulk insert floor (same rows, indexes + FTS5; TSV input)" "$TRACE_MB_REAL"
rm -f "$WS/har-ref.db" "$WS/trace-ref.db" "$WS/trace-floor.db" "$WS"/*.db-wal "$WS"/*.db-shm

echo "== TUI queries on $WS/trace.pmscope"
"$BIN/query_bench" "$WS/trace.pmscope" "$ROUNDS" | tee "$LOGS/queries.txt"
"$BIN/query_bench" "$SCHEMA_WS" "$ROUNDS" >"$LOGS/queries-small.txt"
row ""
row "### TUI store queries: $MESSAGES messages, page of 60 rows, $ROUNDS rounds"
row ""
row "| query | detail | median ms | max ms | median CPU ms | rows |"
row "|---|---|---:|---:|---:|---:|"
while read -r line; do row "$line"; done < <(awk '
    /^query / || /^peak RSS/ { next }
    { d = substr($0, 24, 34); sub(/ +$/, "", d); n = split(substr($0, 59), v, " ");
      printf "| %s | `%s` | %s | %s | %s | %s |\n", substr($0, 1, 22), d, v[1], v[2], v[3], v[4] }' \
    "$LOGS/queries.txt" | sed 's/ *|/ |/g')
RSS_BIG=$(sed -n 's/^peak RSS \([0-9]*\) KB.*/\1/p' "$LOGS/queries.txt")
RSS_SMALL=$(sed -n 's/^peak RSS \([0-9]*\) KB.*/\1/p' "$LOGS/queries-small.txt")
N_SMALL=$(sed -n 's/^peak RSS [0-9]* KB on \([0-9]*\).*/\1/p' "$LOGS/queries-small.txt")
row ""
row "Peak RSS of the query process: $(calc "%.1f" "$RSS_BIG / 1024") MB on $MESSAGES messages, $(calc "%.1f" "$RSS_SMALL / 1024") MB on $N_SMALL messages."

echo "== JS scanner on $BUNDLE"
measure jsscan -- "$PMSCOPE" analyze --bench-scan "$BUNDLE"
row ""
row "### JS scanner: $(size_mb "$BUNDLE") MB minified bundle"
row ""
row '```'
while read -r line; do row "$line"; done <"$LOGS/jsscan.log.out"
row '```'

# ---- targets -------------------------------------------------------------------
# Each target is judged on wall time and on CPU time: the bench machine may
# be shared, and CPU time is what the run would take on an idle machine.
verdict() { if [ "$(awk "BEGIN { print ($1) ? 1 : 0 }")" = 1 ]; then echo met; else echo MISSED; fi; }
LARGEST=$(sed -n 's/^largest_entry=//p' "$HAR.meta" 2>/dev/null || echo 0)
RSS_CAP=$(calc "%.1f" "64 + ${LARGEST:-0} / 1048576")
# qmax REGEX COND FIELD: largest FIELD (1 median wall, 3 median CPU) of the
# query rows whose name/detail match REGEX and whose row count satisfies COND.
qmax() {
    awk -v re="$1" -v f="$3" '
        /^query / || /^peak RSS/ { next }
        $0 ~ re { split(substr($0, 59), v, " "); rows = v[4]
                  if ('"$2"') { if (v[f] > m) m = v[f] } }
        END { printf "%.2f", m + 0 }' "$LOGS/queries.txt"
}
PAGE=60
target_row() { # TEXT WALL CPU LIMIT UNIT
    row "| $1 | $2 $5 | $3 $5 | $(verdict "$2 < $4") | $(verdict "$3 < $4") |"
}
row ""
row "### Targets"
row ""
row "| target | wall | CPU | on wall | on CPU |"
row "|---|---:|---:|---|---|"
row "| HAR import >= 5x faster than the Python reference | $(calc "%.2f" "$HAR_PY_WALL / $HAR_PM_WALL")x | $(calc "%.2f" "$HAR_PY_CPU / $HAR_PM_CPU")x | $(verdict "$HAR_PY_WALL / $HAR_PM_WALL >= 5") | $(verdict "$HAR_PY_CPU / $HAR_PM_CPU >= 5") |"
if [ -n "$HAR_JQ_WALL" ]; then
    row "| HAR import within 3x of jq parse-only | $(calc "%.2f" "$HAR_PM_WALL / $HAR_JQ_WALL")x | $(calc "%.2f" "$HAR_PM_CPU / $HAR_JQ_CPU")x | $(verdict "$HAR_PM_WALL / $HAR_JQ_WALL <= 3") | $(verdict "$HAR_PM_CPU / $HAR_JQ_CPU <= 3") |"
fi
row "| HAR import peak RSS < 64 MB + largest entry ($RSS_CAP MB) | $HAR_PM_RSS MB | | $(verdict "$HAR_PM_RSS < $RSS_CAP") | |"
row "| trace import within 2x of the bulk-insert floor | $(calc "%.2f" "$TR_PM_WALL / $TR_FLOOR_WALL")x | $(calc "%.2f" "$TR_PM_CPU / $TR_FLOOR_CPU")x | $(verdict "$TR_PM_WALL / $TR_FLOOR_WALL <= 2") | $(verdict "$TR_PM_CPU / $TR_FLOOR_CPU <= 2") |"
target_row "open < 200 ms" "$(qmax '^open' 1 1)" "$(qmax '^open' 1 3)" 200 ms
target_row "first page < 100 ms, filters with a full page (worst)" \
    "$(qmax '^filter first page' "rows == $PAGE" 1)" "$(qmax '^filter first page' "rows == $PAGE" 3)" 100 ms
target_row "first page < 100 ms, filters with fewer matches than a page: every row is read (worst)" \
    "$(qmax '^filter first page' "rows < $PAGE" 1)" "$(qmax '^filter first page' "rows < $PAGE" 3)" 100 ms
target_row "page scroll < 16 ms, message list (worst)" \
    "$(qmax '^page scroll' 1 1)" "$(qmax '^page scroll' 1 3)" 16 ms
target_row "page scroll < 16 ms, filtered list (worst)" \
    "$(qmax '^filter page scroll' 1 1)" "$(qmax '^filter page scroll' 1 3)" 16 ms
# SQLite's page cache is capped (store.c: cache_size=-16384, 16 MB): the
# query process may hold that much more on a big workspace, never more.
row "| query RSS does not grow with the workspace (<= tiny + 16 MB page cache + 4 MB) | $(calc "%.1f" "$RSS_BIG / 1024") MB vs $(calc "%.1f" "$RSS_SMALL / 1024") MB | | $(verdict "$RSS_BIG <= $RSS_SMALL + 20480") | |"

{
    echo "## pmscope bench $(date -u +%Y-%m-%dT%H:%MZ)"
    echo ""
    echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'), $(python3 --version), $(jq --version 2>/dev/null || echo 'no jq')"
    printf '%s\n' "${TABLE[@]}"
} >"$DATA/results.md"
echo ""
cat "$DATA/results.md"
