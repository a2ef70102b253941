#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [HARNESS...] - build the libFuzzer harnesses and run
# each for SECONDS (default 60), FUZZ_JOBS at a time (default 2), at the
# lowest CPU priority.
#
#   make fuzz FUZZ_SECONDS=600
#   FUZZ_BUILD=build-fuzz FUZZ_JOBS=1 bash fuzz/run.sh 30 trace origin
#   FUZZ_RUNS=10000000 bash fuzz/run.sh 0 trace   # a number of executions
#
# With FUZZ_RUNS set, each harness stops after that many executions
# instead of after SECONDS (0 = no time limit).  A run stopped with SIGINT
# (pkill -INT fuzz_NAME) still records its executions.
#
# Each harness first replays its regression inputs (fuzz/regressions/NAME/),
# then fuzzes starting from the checked-in seeds (fuzz_seed_dir in seeds.sh)
# plus the inputs earlier runs found ($FUZZ_CORPUS/NAME/, default
# $FUZZ_BUILD/corpus/NAME/, kept between runs; the checked-in seeds stay
# small).  A crash, leak, hang or broken invariant is written to
# $FUZZ_BUILD/crashes/NAME/ and makes the script exit 1: minimize it
# (fuzz_NAME -minimize_crash=1 FILE), fix the bug and add the input to
# fuzz/regressions/NAME/.  The executions each harness ran are appended to
# $FUZZ_BUILD/stats.txt.  The harnesses' own output (import warnings) is
# discarded (-close_fd_mask=3); sanitizer reports are kept.
#
# FUZZ_VARIANT=edge builds the harnesses into build-fuzz-edge/ without
# libFuzzer's comparison tracing (-fno-sanitize-coverage=trace-cmp): still
# ASan + UBSan, edge coverage and libFuzzer's memcmp/strcmp hooks, at 2-3
# times the executions a second where the time goes to integer compares
# (the JS scanner spends 60 % of it in their callbacks).  It shares
# build-fuzz/corpus/ with the default build, so what the comparison-guided
# runs found seeds it and the reverse; the dictionaries supply the tokens.
set -u

. "$(dirname "$0")/seeds.sh"
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
case ${FUZZ_VARIANT:-cmp} in
    cmp)  build=${FUZZ_BUILD:-build-fuzz}; coverage= ;;
    edge) build=${FUZZ_BUILD:-build-fuzz-edge}
          coverage=-fno-sanitize-coverage=trace-cmp ;;
    *) echo "fuzz: FUZZ_VARIANT is cmp or edge" >&2; exit 2 ;;
esac
corpus=${FUZZ_CORPUS:-${FUZZ_BUILD:-build-fuzz}/corpus}
jobs=${FUZZ_JOBS:-2}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
    echo "fuzz: clang not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi
make -s -f fuzz/fuzz.mk FUZZ_BUILD="$build" FUZZ_COVERAGE="$coverage" -j"${FUZZ_MAKE_JOBS:-2}" fuzzers || exit 2
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && read -r -a harnesses <<<"$(make -s -f fuzz/fuzz.mk list)"

# Per-harness options: dictionary and the largest input worth generating.
# The importers' chunk borders are exercised with a 7-byte read size (see
# fuzz_har.c), so inputs past 8 KB mostly cost speed: at 64 KB the HAR
# harness ran at a fifth of its rate.  Filters: every compiled input is
# planned and run by SQLite twice, so long ones cost milliseconds; the
# length, depth and term limits have unit tests, and 512 bytes hold some
# 40 terms.
fuzz_opts() {
    case $1 in
        har|trace)  echo "-dict=fuzz/json.dict -max_len=8192" ;;
        openwpm)    echo "-dict=fuzz/json.dict -max_len=4096" ;;
        jsscan)     echo "-dict=fuzz/js.dict -max_len=4096" ;;
        filter)     echo "-dict=fuzz/filter.dict -max_len=512" ;;
        origin)     echo "-dict=fuzz/url.dict -max_len=512" ;;
        *)          echo "-max_len=4096" ;;
    esac
}

# run_one NAME: replay the regressions, then fuzz; prints one summary line.
run_one() {
    local h=$1 bin=$build/fuzz_$1 log=$build/logs/$1.log
    mkdir -p "$corpus/$h" "$build/crashes/$h" "$build/logs"
    if [ -d "fuzz/regressions/$h" ] && [ -n "$(ls -A "fuzz/regressions/$h")" ]; then
        if ! "$bin" -runs=0 "fuzz/regressions/$h"/* >"$log" 2>&1; then
            echo "$h: a regression input fails again (see $log)"
            return 1
        fi
    fi
    # shellcheck disable=SC2046
    local limit=(-max_total_time="$seconds")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS" -max_total_time="$seconds")
    local t0=$SECONDS
    nice -n 19 "$bin" $(fuzz_opts "$h") "${limit[@]}" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=3 \
        -artifact_prefix="$build/crashes/$h/" \
        "$corpus/$h" "$(fuzz_seed_dir "$h")" >"$log" 2>&1
    local rc=$?
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    local took=$((SECONDS - t0))
    echo "$(date -u +%FT%TZ) $h ${FUZZ_VARIANT:-cmp} ${runs:-0} execs in ${took}s rc=$rc" >>"$build/stats.txt"
    # 72: libFuzzer's exit code when stopped by SIGINT (kill -INT, ^C);
    # its statistics are still printed, and nothing was found.
    if [ "$rc" -eq 72 ] && grep -q 'libFuzzer: run interrupted' "$log"; then
        echo "$h: interrupted after ${runs:-0} execs in ${took}s, no finding"
        return 0
    fi
    if [ "$rc" -ne 0 ]; then
        echo "$h: FINDING after ${runs:-?} execs: $(grep -m1 -E 'ERROR|invariant|SUMMARY' "$log")"
        ls "$build/crashes/$h"
        return 1
    fi
    echo "$h: ${runs:-0} execs in ${took}s, no finding"
}

status=0
running=0
pids=()
for h in "${harnesses[@]}"; do
    run_one "$h" &
    pids+=($!)
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
exit $status
