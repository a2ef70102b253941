# Build checks a packager relies on: every source compiles warning-free
# under clang as well as gcc (-Wall -Wextra -Werror), and `make install`
# honours PREFIX and DESTDIR.  Structure: the ui/ files use each other
# without a loop (tests/ui_deps.sh), and calls between the files of src/
# and importers/ run one way (tests/file_deps.py).
source "$PM_ROOT/tests/lib.sh"
cd "$PM_ROOT" || exit 1

if command -v clang >/dev/null; then
    flags="-std=c11 -D_GNU_SOURCE -DPM_VERSION=\"0\" -Isrc -Iimporters -Iui \
      -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
      -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Werror -fsyntax-only \
      $(pkg-config --cflags ncursesw sqlite3 libcjson libcurl libcrypto libidn2)"
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

# The TUI's files form no loop of uses, no view uses another view's
# functions, and only ui.c names the view descriptors (tests/ui_deps.sh).
# The objects come from the build tree of the binary under test.
objdir="$(dirname "$PMSCOPE")/obj/ui"
out=$(bash "$PM_ROOT/tests/ui_deps.sh" "$objdir" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then pass "ui/ files use each other without a loop"
else fail "ui/ files use each other without a loop" "$(printf '%s' "$out" | grep -E '^(LOOP|RULE)|error' | head -20)"; fi
if [ -f "$stage/opt/pm/share/man/man1/pmscope.1" ]; then pass "man page installed under DESTDIR/PREFIX/share/man/man1"
else fail "man page installed under DESTDIR/PREFIX/share/man/man1" "$(find "$stage" | head)"; fi
if [ -f "$stage/opt/pm/share/bash-completion/completions/pmscope" ]; then pass "bash completion installed"
else fail "bash completion installed" "$(find "$stage" | head)"; fi
out=$(make -s uninstall PREFIX=/opt/pm DESTDIR="$stage" 2>&1)
left=$(find "$stage" -type f)
expect_eq "make uninstall removes what install put there" "$left" ""

# make run keeps the sample workspace (and its triage) while the sample is
# unchanged, and imports it again when it changed.  (./pmscope exists: the
# install above built it.)
sws="$T/sample.pmscope"
make -s sample-ws SAMPLE_WS="$sws" >/dev/null 2>&1
"$PMSCOPE_FAST" mark -w "$sws" message 1 --note "kept across runs" >/dev/null 2>&1
out=$(make -s sample-ws SAMPLE_WS="$sws" 2>&1)
expect_match "make run: an unchanged sample keeps the workspace" "$out" "unchanged"
f=$("$PMSCOPE_FAST" ls -w "$sws" --json findings 2>&1)
expect_match "make run: a finding survives the next run" "$f" "kept across runs"
echo "an older sample" > "$sws.sha256"
make -s sample-ws SAMPLE_WS="$sws" >/dev/null 2>&1
f=$("$PMSCOPE_FAST" ls -w "$sws" --json findings 2>&1)
expect_nomatch "make run: a changed sample is imported again" "$f" "kept across runs"
n=$("$PMSCOPE_FAST" ls -w "$sws" sources 2>&1 | grep -c sample-traces)
expect_match "make run: the new workspace holds the sample" "$n" "^[1-9]"

# `make` with no goal builds ./pmscope, as the Makefile header says.
out=$(make -n -B BUILD="$T/b" SAN_BUILD="$T/bs" 2>&1)
expect_match "make with no goal builds ./pmscope" "$out" "cp $T/b/pmscope pmscope"

# Building needs the build packages only; the test tools (valgrind, ...) are
# needed by make check.  A PATH of links to every command but valgrind (and
# apt-get, so that nothing is installed) stands for a user who lacks it.
fakebin="$T/fakebin"
mkdir -p "$fakebin"
IFS=: read -ra pathdirs <<< "$PATH"
for d in "${pathdirs[@]}"; do
    for f in "$d"/*; do
        n=${f##*/}
        case $n in valgrind|apt-get) continue ;; esac
        [ -x "$f" ] && [ ! -e "$fakebin/$n" ] && ln -s "$f" "$fakebin/$n"
    done
done
out=$(PATH="$fakebin" make BUILD="$T/b" SAN_BUILD="$T/bs" deps 2>&1)
expect_eq "building does not need valgrind (exit)" "$?" "0"
expect_nomatch "building does not name valgrind" "$out" "valgrind"
out=$(PATH="$fakebin" make -n BUILD="$T/b" SAN_BUILD="$T/bs" "$T/b/pmscope" 2>&1)
expect_nomatch "the build's recipes do not look for the test tools" "$out" "valgrind|cmocka"
out=$(PATH="$fakebin" make BUILD="$T/b" SAN_BUILD="$T/bs" test-deps 2>&1)
expect_match "make check's test tools still need valgrind" "$out" "missing: valgrind"
out=$(make -n BUILD="$T/b" SAN_BUILD="$T/bs" check 2>&1)
expect_match "make check checks for the test tools" "$out" "valgrind"
expect_match "make check checks for Chromium" "$out" "chromium"

# The README's tour runs `pmscope`: the set-up says how it gets on PATH.
setup=$(sed -n '1,/^## A short tour/p' README.md)
expect_match "README: make install before the tour" "$setup" "make install"
expect_match "README: ./pmscope before the tour" "$setup" '\./pmscope'
setup_text=$(sed -n '/^## Set-up/,/^## A short tour/p' README.md | tr '\n' ' ')
chromium_claims=$(printf '%s' "$setup_text" | grep -o '[^.]*Chromium[^.]*')
expect_match "README: make check installs Chromium" "$chromium_claims" "make check"
expect_nomatch "README: make run does not claim to install Chromium" "$chromium_claims" "make run"

# Which file calls which, from the symbols each object file defines and
# uses: no loop of calls between files but the known ones the script lists
# (with why), and neither the store nor the analysis calls the importers.
# The objects come from the build tree of the binary under test.
obj="$(dirname "$PMSCOPE")/obj"
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
