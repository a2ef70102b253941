#!/usr/bin/env bash
# tests/cli/static_analysis.sh - cppcheck and clang-tidy over every C file
# (src/, importers/, ui/, fuzz/), zero findings required.
#
# clang-tidy's checks and the reasons for each exclusion are in .clang-tidy
# (clang-analyzer-* path-sensitive bugs, bugprone-*).  cppcheck runs its
# warning, portability and performance classes (style is left to review);
# cJSON's iteration macro is given to it so it can follow loops.  A false
# positive is silenced at its line with a comment that says why
# ("NOLINT(check): reason" / "cppcheck-suppress id").
# STATIC_JOBS parallel clang-tidy processes (default: the number of CPUs).
#
# clang-analyzer costs about 5 minutes of CPU over the whole tree, too much
# for every `make check`: by default clang-tidy runs the config's bugprone-*
# checks only; STATIC_FULL=1 runs the whole config (also zero findings;
# run it before a release and after changing memory-handling code).
. "$(dirname "$0")/../lib.sh"
cd "$PM_ROOT" || exit 1
jobs=${STATIC_JOBS:-$(nproc 2>/dev/null || echo 2)}
files=(src/*.c importers/*.c ui/*.c fuzz/*.c)
pkgs="ncursesw sqlite3 libcjson libcurl libcrypto libidn2"
# shellcheck disable=SC2046
flags=(-std=c11 -D_GNU_SOURCE '-DPM_VERSION="0"' -Isrc -Iimporters -Iui -Ifuzz
       $(pkg-config --cflags $pkgs 2>/dev/null))

if command -v cppcheck >/dev/null; then
    # cppcheck does not read system headers; it needs cJSON's loop macro.
    printf '#define cJSON_ArrayForEach(e, a) for ((e) = (a) ? (a)->child : NULL; (e); (e) = (e)->next)\n' \
        >"$T/cjson_macros.h"
    cppcheck --quiet --std=c11 --enable=warning,portability,performance \
        --inline-suppr --error-exitcode=1 -j "$jobs" \
        -D_GNU_SOURCE -DPM_VERSION='"0"' -Isrc -Iimporters -Iui -Ifuzz \
        --include="$T/cjson_macros.h" \
        --suppress=missingIncludeSystem "${files[@]}" >"$T/cppcheck.txt" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && ! grep -q ': \(error\|warning\|portability\|performance\):' "$T/cppcheck.txt"; then
        pass "cppcheck: no findings in ${#files[@]} files"
    else
        fail "cppcheck: no findings" "$(head -40 "$T/cppcheck.txt")"
    fi
else
    fail "cppcheck installed" "Debian: apt-get install cppcheck"
fi

tidy=$(command -v clang-tidy || command -v clang-tidy-14)
if [ -n "$tidy" ]; then
    # A compilation database, so xargs can append file names.
    python3 - "$T/compile_commands.json" "$PWD" "${flags[@]}" -- "${files[@]}" <<'PY'
import json, sys
out, root = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
sep = rest.index("--")
flags, files = rest[:sep], rest[sep + 1:]
json.dump([{"directory": root, "file": f,
            "arguments": ["clang", *flags, "-c", f]} for f in files],
          open(out, "w"))
PY
    scope=(--config-file=.clang-tidy)
    what="bugprone"
    if [ "${STATIC_FULL:-0}" != 1 ]; then
        scope+=('--checks=-clang-analyzer-*')
    else
        what="clang-analyzer + bugprone"
    fi
    printf '%s\n' "${files[@]}" |
        xargs -P "$jobs" -n 4 "$tidy" --quiet "${scope[@]}" -p "$T" \
        >"$T/tidy.txt" 2>"$T/tidy.err" || true
    if grep -q -E 'error:|Error while|Could not' "$T/tidy.err"; then
        fail "clang-tidy runs" "$(grep -E 'error:|Error while|Could not' "$T/tidy.err" | head -10)"
    fi
    grep -E '(warning|error):' "$T/tidy.txt" | sort -u >"$T/tidy.findings"
    if [ -s "$T/tidy.findings" ]; then
        fail "clang-tidy ($what): no findings" "$(head -40 "$T/tidy.findings")"
    else
        pass "clang-tidy ($what): no findings in ${#files[@]} files"
    fi
else
    fail "clang-tidy installed" "Debian: apt-get install clang-tidy"
fi
