# Help, the man page and bash completion: every command answers -h and
# --help with its help text; each command's help names every option its
# getopt table accepts; the man page renders without warnings; completion
# offers commands, options, ls kinds and finding statuses; docs/pmscope.1
# and docs/pmscope.bash are what the binary generates.
source "$PM_ROOT/tests/lib.sh"

cmds=$("$PMSCOPE" --help | sed -n '/^commands:/,/^$/p' | awk 'NF && !/^commands:/ {print $1}')
expect_match "the overview lists commands" "$cmds" '^import$'

"$PMSCOPE" help --bash-completion > pmscope.bash
# shellcheck disable=SC1091
source ./pmscope.bash

# complete WORD... : COMPREPLY for the command line ending in the last word.
complete_line() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _pmscope
    printf '%s\n' "${COMPREPLY[@]}"
}

for c in $cmds; do
    for flag in --help -h; do
        out=$("$PMSCOPE" "$c" "$flag" 2>&1)
        rc=$?
        if [ "$rc" = 0 ] && printf '%s' "$out" | grep -q "^usage: pmscope $c "; then
            pass "$c $flag prints its help, exit 0"
        else
            fail "$c $flag prints its help, exit 0" "exit $rc" "$(printf '%s' "$out" | head -5)"
        fi
    done
    # Every long option of the command (as completion lists them, from its
    # getopt table) is named in its help text.
    help=$("$PMSCOPE" help "$c")
    opts=$(complete_line pmscope "$c" -- | grep -- '^--')
    missing=""
    for o in $opts; do
        printf '%s' "$help" | grep -Eq -- "$o([^a-z-]|\$)" || missing="$missing $o"
    done
    expect_eq "help $c names every option it accepts" "$missing" ""
done
expect_nomatch "--help is not taken as an option's argument" \
    "$("$PMSCOPE" mark -w nope.pmscope message 1 --note --help 2>&1)" '^usage:'
expect_rc "the option table still rejects unknown options" 2 "$PMSCOPE" ls --bogus windows

# Completion.
got=$(complete_line pmscope l)
expect_eq "completion: pmscope l<TAB>" "$got" "ls"
got=$(complete_line pmscope ls "" | tr '\n' ' ')
expect_eq "completion: pmscope ls <TAB> lists the kinds" "$got" \
    "sources windows origins messages edges findings listeners sends "
got=$(complete_line pmscope ls findings --status "" | tr '\n' ' ')
expect_eq "completion: ls findings --status <TAB>" "$got" "suggested confirmed dismissed all "
got=$(complete_line pmscope export --st)
expect_eq "completion: export --st<TAB>" "$got" "--status"
got=$(complete_line pmscope mark message 1 --severity h)
expect_eq "completion: mark --severity h<TAB>" "$got" "high"
got=$(complete_line pmscope help fl)
expect_eq "completion: help fl<TAB>" "$got" "flow"

# The man page.
"$PMSCOPE" help --man > pmscope.1
warn=$(groff -man -ww -z pmscope.1 2>&1)
expect_eq "groff -man -ww: the man page has no warnings" "$warn" ""
if command -v man >/dev/null; then
    text=$(MANWIDTH=80 man --warnings -l pmscope.1 2>man.err)
    expect_eq "man -l renders it without warnings" "$(cat man.err)" ""
    expect_match "the man page documents every command" "$text" '^ +recheck$'
    expect_match "the man page carries the help text" "$text" 'KIND is one of'
fi

# The copies make install installs are what the binary prints.
d=$(diff -u "$PM_ROOT/docs/pmscope.1" pmscope.1)
expect_eq "docs/pmscope.1 is current (make docs)" "$d" ""
d=$(diff -u "$PM_ROOT/docs/pmscope.bash" pmscope.bash)
expect_eq "docs/pmscope.bash is current (make docs)" "$d" ""
