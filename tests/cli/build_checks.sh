# Build checks a packager relies on: every source compiles warning-free
# under clang as well as gcc (-Wall -Wextra -Werror), and `make install`
# honours PREFIX and DESTDIR.  And one on the structure: calls between the
# files of src/ and importers/ run one way (tests/file_deps.py).
source "$PM_ROOT/tests/lib.sh"
cd "$PM_ROOT" || exit 1

if command -v clang >/dev/null; then
    flags="-std=c11 -D_GNU_SOURCE -DPM_VERSION=\"0\" -Isrc -Iimporters -Iui \
      -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
      -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Werror -fsyntax-only \
      $(pkg-config --cflags ncursesw sqlite3 libcjson libcurl libcrypto)"
    out=$(ls src/*.c importers/*.c ui/*.c tests/*.c |
          xargs -P 2 -n 8 clang $flags 2>&1)
    if [ -z "$out" ]; then pass "clang -Wall -Wextra -Werror compiles every source"
    else fail "clang -Wall -Wextra -Werror compiles every source" "$(printf '%s' "$out" | head -30)"; fi
else
    fail "clang is installed" "the Makefile installs it; not found"
fi

stage="$T/stage"
out=$(make -s install PREFIX=/opt/pm DESTDIR="$stage" 2>&1)
expect_eq "make install exits 0" "$?" "0"
if [ -x "$stage/opt/pm/bin/pmscope" ]; then pass "installed under DESTDIR/PREFIX/bin"
else fail "installed under DESTDIR/PREFIX/bin" "$out" "$(find "$stage" | head)"; fi
v=$("$stage/opt/pm/bin/pmscope" --version 2>&1)
expect_match "installed binary runs" "$v" '^pmscope [0-9]'

# Which file calls which, from the symbols each object file defines and
# uses: no loop of calls between files but the known ones the script lists
# (with why), and neither the store nor the analysis calls the importers.
obj="$T/obj"
mkdir -p "$obj/src" "$obj/importers"
cflags="-std=c11 -D_GNU_SOURCE -DPM_VERSION=\"0\" -I$PM_ROOT/src \
  -I$PM_ROOT/importers -I$PM_ROOT/ui -O0 \
  $(pkg-config --cflags sqlite3 libcjson libcurl libcrypto)"
out=$( (cd "$obj/src" && ls "$PM_ROOT"/src/*.c | grep -v '/main\.c$' |
        xargs -P 2 -n 8 cc $cflags -c) 2>&1;
      (cd "$obj/importers" && ls "$PM_ROOT"/importers/*.c |
        xargs -P 2 -n 8 cc $cflags -c) 2>&1)
if [ -n "$out" ]; then
    fail "objects for the call graph compile" "$(printf '%s' "$out" | head -20)"
fi
deps=$(python3 "$PM_ROOT/tests/file_deps.py" "$obj" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then pass "no loop of calls between files, layers kept (src/, importers/)"
else fail "no loop of calls between files, layers kept (src/, importers/)" \
    "$(printf '%s\n' "$deps" | grep -E '^(LOOP|LAYER):| problems$|^usage:|^no objects')"; fi
for pair in "src/filter.c src/filter_term.c" "src/capture.c src/capture_har.c" \
            "importers/openwpm.c importers/openwpm_js.c"; do
    set -- $pair
    if printf '%s\n' "$deps" | grep -q "^edge $2 -> $1:"; then
        fail "$2 does not call back into $1" "$(printf '%s\n' "$deps" | grep "^edge $2 -> $1:")"
    else pass "$2 does not call back into $1"; fi
done
