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
# FUZZ_PROCS=N runs N processes of each harness on the same corpus (each
# loads what the others add; logs NAME.1.log ... NAME.N.log); with FUZZ_RUNS
# the executions are split between them and their sum is recorded.  A
# harness then takes N cores, so FUZZ_JOBS * FUZZ_PROCS should not exceed
# them:  FUZZ_JOBS=1 FUZZ_PROCS=2 FUZZ_RUNS=10000000 bash fuzz/run.sh 0 openwpm
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
procs=${FUZZ_PROCS:-1}
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
        redact)     echo "-dict=fuzz/url.dict -max_len=4096" ;;
        *)          echo "-max_len=4096" ;;
    esac
}

# run_one NAME: replay the regressions, then fuzz with $procs processes
# sharing the corpus; prints one summary line.
run_one() {
    local h=$1 bin=$build/fuzz_$1 log=$build/logs/$1.log
    mkdir -p "$corpus/$h" "$build/crashes/$h" "$build/logs"
    if [ -d "fuzz/regressions/$h" ] && [ -n "$(ls -A "fuzz/regressions/$h")" ]; then
        if ! "$bin" -runs=0 "fuzz/regressions/$h"/* >"$log" 2>&1; then
            echo "$h: a regression input fails again (see $log)"
            return 1
        fi
    fi
    local limit=(-max_total_time="$seconds")
    [ -n "${FUZZ_RUNS:-}" ] &&
        limit=(-runs=$(((FUZZ_RUNS + procs - 1) / procs)) -max_total_time="$seconds")
    local t0=$SECONDS i logs=() pids=()
    for ((i = 1; i <= procs; i++)); do
        [ "$procs" -gt 1 ] && log=$build/logs/$h.$i.log
        logs+=("$log")
        # shellcheck disable=SC2046
        nice -n 19 "$bin" $(fuzz_opts "$h") "${limit[@]}" \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=3 \
            -artifact_prefix="$build/crashes/$h/" \
            "$corpus/$h" "$(fuzz_seed_dir "$h")" >"$log" 2>&1 &
        pids+=($!)
    done
    # 72: libFuzzer's exit code when stopped by SIGINT (kill -INT, ^C);
    # its statistics are still printed, and nothing was found.
    # A finding in one process stops the others (SIGINT: they still count).
    local rc=0 r runs=0 n found= done_pid l live=("${pids[@]}")
    for ((i = 0; i < procs; i++)); do
        wait -n -p done_pid "${live[@]}"
        r=$?
        for ((l = 0; l < procs; l++)); do
            [ "${pids[l]}" = "$done_pid" ] && break
        done
        local rest=() p
        for p in "${live[@]}"; do [ "$p" = "$done_pid" ] || rest+=("$p"); done
        live=("${rest[@]}")
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "${logs[l]}" | tail -1)
        runs=$((runs + ${n:-0}))
        if [ "$r" -eq 72 ] && grep -q 'libFuzzer: run interrupted' "${logs[l]}"; then
            [ "$rc" -eq 0 ] && rc=72
        elif [ "$r" -ne 0 ]; then
            [ -z "$found" ] && kill -INT "${live[@]}" 2>/dev/null
            rc=$r
            found=${logs[l]}
        fi
    done
    local took=$((SECONDS - t0))
    echo "$(date -u +%FT%TZ) $h ${FUZZ_VARIANT:-cmp} $runs execs in ${took}s rc=$rc procs=$procs" >>"$build/stats.txt"
    if [ -n "$found" ]; then
        echo "$h: FINDING after $runs execs: $(grep -m1 -E 'ERROR|invariant|SUMMARY' "$found") (see $found)"
        ls "$build/crashes/$h"
        return 1
    fi
    if [ "$rc" -eq 72 ]; then
        echo "$h: interrupted after $runs execs in ${took}s, no finding"
        return 0
    fi
    echo "$h: $runs execs in ${took}s, no finding"
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
