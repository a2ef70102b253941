#!/usr/bin/env bash
# tests/cli/fuzz_smoke.sh - every libFuzzer harness (fuzz/fuzz_*.c) builds
# and runs for a few seconds without a finding, and every input in
# fuzz/regressions/ (bugs found by fuzzing) replays cleanly - both in the
# libFuzzer build (clang, ASan+UBSan) and in a replay build linked against
# the gcc objects of the tree under test (fuzz/replay_main.c).
#
# The harnesses build into their own tree, next to the tree under test
# ($FUZZ_SMOKE_BUILD, default <tree>-fuzz).  Without clang the libFuzzer
# half is skipped (one PASS line saying SKIP); the gcc replay still runs.
# FUZZ_SMOKE_SECONDS (default 3) per harness, two at a time.
. "$(dirname "$0")/../lib.sh"
cd "$PM_ROOT" || exit 1
. fuzz/seeds.sh
seconds=${FUZZ_SMOKE_SECONDS:-3}
tree=$(cd "$(dirname "$PMSCOPE")" && pwd)
fast_tree=$(cd "$(dirname "$PMSCOPE_FAST")" && pwd)
fbuild=${FUZZ_SMOKE_BUILD:-$fast_tree-fuzz}
read -r -a harnesses <<<"$(make -s -f fuzz/fuzz.mk list)"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if ! command -v clang >/dev/null; then
    pass "fuzz smoke: SKIP (clang not installed; Debian: clang libclang-rt-14-dev)"
elif ! make -s -f fuzz/fuzz.mk FUZZ_BUILD="$fbuild" -j2 fuzzers >"$T/build.log" 2>&1; then
    fail "fuzz harnesses build" "$(tail -20 "$T/build.log")"
else
    pass "fuzz harnesses build"
    # smoke_one NAME: regressions, then $seconds of fuzzing from the seeds
    # (new inputs go to a scratch corpus; the checked-in seeds stay as they are).
    smoke_one() {
        local h=$1 bin=$fbuild/fuzz_$1 log=$T/$1.log
        mkdir -p "$T/corpus/$h" "$T/crash/$h"
        if [ -n "$(ls -A "fuzz/regressions/$h" 2>/dev/null)" ] &&
           ! "$bin" -runs=0 "fuzz/regressions/$h"/* >"$log" 2>&1; then
            echo "FAIL: fuzz regressions replay: $h"
            grep -m3 -E 'ERROR|invariant|SUMMARY' "$log" | sed 's/^/  /'
            return
        fi
        local dict=""
        case $h in
            har|trace|openwpm) dict=-dict=fuzz/json.dict ;;
            jsscan) dict=-dict=fuzz/js.dict ;;
            filter) dict=-dict=fuzz/filter.dict ;;
            origin|redact) dict=-dict=fuzz/url.dict ;;
        esac
        if "$bin" $dict -max_total_time="$seconds" -timeout=10 -max_len=8192 \
               -close_fd_mask=3 -print_final_stats=1 \
               -artifact_prefix="$T/crash/$h/" \
               "$T/corpus/$h" "$(fuzz_seed_dir "$h")" >"$log" 2>&1; then
            local runs
            runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
            echo "PASS: fuzz $h (${runs:-?} execs in ${seconds}s, regressions replayed)"
        else
            echo "FAIL: fuzz $h: finding (input below, base64)"
            grep -m3 -E 'ERROR|invariant|SUMMARY' "$log" | sed 's/^/  /'
            for c in "$T/crash/$h"/*; do
                [ -f "$c" ] && head -c 2000 "$c" | base64 -w0 | sed 's/^/  /' && echo
            done
        fi
    }
    running=0
    for h in "${harnesses[@]}"; do
        smoke_one "$h" &
        running=$((running + 1))
        if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
    done
    wait
fi

# The same regressions and seeds through the gcc build of the tree under test.
flags=""
if nm "$tree/pmscope" 2>/dev/null | grep -q __asan_report; then
    flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
fi
if [ ! -d "$tree/obj" ]; then
    fail "fuzz replay (gcc)" "no objects in $tree/obj: run through make check"
elif ! make -s -f fuzz/fuzz.mk FUZZ_BUILD="$fbuild" OBJ_TREE="$tree" \
         REPLAY_CC="${CC:-cc}" REPLAY_FLAGS="$flags" -j2 replays \
         >"$T/replay-build.log" 2>&1; then
    fail "fuzz replay build (gcc)" "$(tail -20 "$T/replay-build.log")"
else
    for h in "${harnesses[@]}"; do
        dirs=("$(fuzz_seed_dir "$h")")
        [ -d "fuzz/regressions/$h" ] && dirs+=("fuzz/regressions/$h")
        expect_rc "fuzz replay (gcc) $h" 0 "$fbuild/replay/replay_$h" "${dirs[@]}"
    done
fi
