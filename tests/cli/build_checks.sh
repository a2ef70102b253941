# Build checks a packager relies on: every source compiles warning-free
# under clang as well as gcc (-Wall -Wextra -Werror), and `make install`
# honours PREFIX and DESTDIR.
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

# The tools `make deps` installs include cmark-gfm (the report's GFM table
# checks), and a stamp older than the Makefile is redone, so a machine set
# up before a tool was added gets it.
db=$(make -n -p deps 2>/dev/null)
expect_match "DEB_TEST installs cmark-gfm" "$(printf '%s\n' "$db" | grep '^DEB_TEST')" ' cmark-gfm '
expect_match "TEST_TOOLS checks cmark-gfm" "$(printf '%s\n' "$db" | grep '^TEST_TOOLS')" ' cmark-gfm '
expect_match "a changed Makefile redoes the deps check" \
    "$(make -n -W Makefile deps 2>&1)" 'command -v'

stage="$T/stage"
out=$(make -s install PREFIX=/opt/pm DESTDIR="$stage" 2>&1)
expect_eq "make install exits 0" "$?" "0"
if [ -x "$stage/opt/pm/bin/pmscope" ]; then pass "installed under DESTDIR/PREFIX/bin"
else fail "installed under DESTDIR/PREFIX/bin" "$out" "$(find "$stage" | head)"; fi
v=$("$stage/opt/pm/bin/pmscope" --version 2>&1)
expect_match "installed binary runs" "$v" '^pmscope [0-9]'
