#!/usr/bin/env bash
# tests/cli/numeric_options.sh - every numeric option and id on the command
# line is read by one strict parser (src/numarg.c): a sign, an exponent, a
# space, junk after the digits, hex or a value past the range is a usage
# error (exit 2) that names the option and what it takes, before any
# workspace is touched.
. "$(dirname "$0")/../lib.sh"

"$PMSCOPE" import -q -w ws.pmscope "$PM_ROOT/tests/data/traces/basic.jsonl" >/dev/null 2>&1
before=$(ws_checksum ws.pmscope)

# bad NAME OPTION_IN_MESSAGE CMD...: exit 2 and "bad OPTION 'VALUE': expected ..."
bad() {
    local name=$1 opt=$2; shift 2
    expect_rc "$name: exit 2" 2 "$PMSCOPE" "$@"
    expect_match "$name: names $opt and what it takes" "$OUT" "^pmscope: bad $opt '.*': expected "
}

for v in -1 0 99999999999999999999 1000000001 1e3 abc ' 5' +5 5x 0x10 ''; do
    bad "ls --limit '$v'" --limit ls -w ws.pmscope messages --limit "$v"
done
expect_match "--limit says the range" "$OUT" "expected a whole number from 1 to 1000000000"
for v in abc -1 1e3 1.5 99999999999999999999; do
    bad "ls --after '$v'" --after ls -w ws.pmscope messages --after "$v"
done
for kind in listeners findings sends; do
    bad "ls $kind --limit -1" --limit ls -w ws.pmscope "$kind" --limit -1
done
for v in 39 1001 1e2 -80 abc; do
    bad "flow --width '$v'" --width flow -w ws.pmscope --width "$v" 1
done
for v in 0 65 1e1 -2 two; do
    bad "recheck --parallel '$v'" --parallel recheck -w ws.pmscope --parallel "$v"
done
bad "recheck finding id 1e3" "finding id" recheck -w ws.pmscope 1e3
bad "show message 1e3" id show -w ws.pmscope message 1e3
bad "show window -- -1" id show -w ws.pmscope window -- -1
for v in 0 1e3 -1 abc; do
    bad "analyze --source '$v'" --source analyze -w ws.pmscope --source "$v"
done
for v in 0 257 1e2; do
    bad "analyze --size '$v'" --size analyze --bench-scan x.js --size "$v"
done
for v in 1e3 -5 inf nan 0x10 0; do
    bad "import --timeout '$v'" --timeout import -w ws.pmscope --timeout "$v" x.har
done
bad "import --connect-timeout 1e1" --connect-timeout import -w ws.pmscope --connect-timeout 1e1 x.har
for v in -5M 1e3 0x10 M 1.5.5K; do
    bad "import --max-size '$v'" size import -w ws.pmscope --max-size "$v" x.har
done
for v in 1e3 -1 inf; do
    bad "capture --duration '$v'" --duration capture --duration "$v" https://a.example/
done
bad "capture --until-idle=1e3" --until-idle capture --until-idle=1e3 https://a.example/

# Good values still work.
expect_rc "ls --limit 1 --after 1" 0 "$PMSCOPE" ls -w ws.pmscope messages --limit 1 --after 1
expect_match "ls --limit 1 --after 1 lists message 2" "$OUT" '^#2 '
expect_eq "ls --limit 2 lists two" "$("$PMSCOPE" ls -w ws.pmscope messages --limit 2 | wc -l)" 2
expect_rc "show message #1" 0 "$PMSCOPE" show -w ws.pmscope message '#1'
expect_rc "flow --width 80" 0 "$PMSCOPE" flow -w ws.pmscope --width 80 1
expect_rc "import --max-size 1.5M --timeout 0.5 of a missing file: the options pass" 3 \
    "$PMSCOPE" import -w ws.pmscope --max-size 1.5M --timeout 0.5 missing.har
expect_eq "nothing above changed the workspace" "$(ws_checksum ws.pmscope)" "$before"
