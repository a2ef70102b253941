#!/usr/bin/env bash
# tests/run.sh NORMAL_BUILD SAN_BUILD - the whole test suite, no terminal needed.
#
# 1. every cmocka unit test (tests/test_*.c) from both build trees;
# 2. every CLI/TUI script tests/cli/*.sh, run against the sanitized binary
#    (PMSCOPE) with the normal binary available as PMSCOPE_FAST for
#    tests that drive a terminal or import large inputs.
# Each script prints "PASS: name" / "FAIL: name" lines (tests/lib.sh).
# Closing line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
normal=${1:-build}
san=${2:-build-san}
passed=0
failed=0
failures=()

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_unit() {
    local bin=$1 out
    out=$("$bin" 2>&1)
    local rc=$?
    local p f
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        failures+=("$bin")
        printf '%s\n' "$out" | grep -v '^\[       OK \]' | tail -40
    fi
    printf '%-40s %3d passed, %d failed\n' "$bin" "$p" "$f"
}

for tree in "$normal" "$san"; do
    for t in "$tree"/tests/test_*; do
        [ -x "$t" ] || continue
        run_unit "$t"
    done
done

export PMSCOPE="$PWD/$san/pmscope"
export PMSCOPE_FAST="$PWD/$normal/pmscope"
export PM_ROOT="$PWD"
for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
    out=$(bash "$s" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^PASS: ')
    f=$(printf '%s\n' "$out" | grep -c '^FAIL: ')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        out="$out"$'\n'"FAIL: $s exited $rc"
    fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        failures+=("$s")
        printf '%s\n' "$out" | grep -v '^PASS: '
    fi
    printf '%-40s %3d passed, %d failed\n' "$s" "$p" "$f"
done

if [ "${#failures[@]}" -ne 0 ]; then
    echo "failing: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
