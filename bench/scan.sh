#!/usr/bin/env bash
# bench/scan.sh - JavaScript scanner throughput on a 5 MB minified bundle.
#
# Uses Debian's minified jQuery (libjs-jquery) repeated to 5 MB when it is
# installed, else the handler corpus; prints tokenizer and full-scan MB/s
# (CPU time, best of five) from `pmscope analyze --bench-scan`.
#
#   PMSCOPE=build/pmscope bash bench/scan.sh [FILE]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
pmscope=${PMSCOPE:-$root/pmscope}
src=${1:-/usr/share/javascript/jquery/jquery.min.js}
if [ ! -f "$src" ]; then
    src=$(mktemp)
    trap 'rm -f "$src"' EXIT
    cat "$root"/tests/data/handlers/*.js > "$src"
fi
echo "scanner throughput: $src repeated to 5 MB"
"$pmscope" analyze --bench-scan "$src" --size 5
