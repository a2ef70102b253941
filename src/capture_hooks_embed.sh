#!/bin/sh
# capture_hooks_embed.sh - regenerate src/capture_hooks.c from
# src/capture_hooks.js (run from the repository root after editing the
# hooks; tests/cli/capture.sh fails when the two are out of step).
#
# The hooks are kept as a real .js file so they can be read, linted and
# syntax-checked as JavaScript; the generated .c is committed so that
# building pmscope needs nothing but a C compiler (no xxd, no build-time
# generator rule in the Makefile).
set -eu
src=${1:-src/capture_hooks.js}
out=${2:-src/capture_hooks.c}
python3 - "$src" "$out" <<'PY'
import sys
src, out = sys.argv[1], sys.argv[2]
js = open(src, encoding="utf-8").read()
lines = ["/*",
         " * capture_hooks.c - GENERATED from capture_hooks.js by",
         " * capture_hooks_embed.sh; edit the .js file and re-run the script.",
         " */",
         '#include "capture.h"',
         "",
         "const char capture_hooks_js[] ="]
for line in js.splitlines(True):
    esc = (line.replace("\\", "\\\\").replace('"', '\\"').replace("?", "\\?")
               .replace("\n", "\\n").replace("\t", "\\t"))
    lines.append('    "%s"' % esc)
lines[-1] += ";"
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
