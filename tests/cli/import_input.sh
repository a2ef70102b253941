#!/usr/bin/env bash
# tests/cli/import_input.sh - how import takes its input and its workspace:
#   - a pipe (/dev/stdin < file, cmd | pmscope, a FIFO) is read once, for
#     each format read from a stream (HAR, trace); an OpenWPM database
#     through a pipe is refused clearly, the workspace left as it was;
#   - the sha256 recorded for a piped input is the file's, so the same
#     content given as a file is a repeat, and the other way round;
#   - parallel imports of one file add exactly one source, the others say
#     it is already imported (into a new workspace and an existing one);
#   - an import or open that fails leaves no workspace file behind when
#     there was none before (nor -wal/-shm).
. "$(dirname "$0")/../lib.sh"

cp "$PM_ROOT/tests/data/hars/mitmproxy__chrome.har" session.har
cp "$PM_ROOT/tests/data/traces/basic.jsonl" trace.jsonl
python3 "$PM_ROOT/tests/data/openwpm/make_crawl.py" crawl.sqlite fixture

q() { python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(map(str, r)))' "$1" "$2"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---- /dev/stdin and pipes -------------------------------------------------
expect_rc "HAR on /dev/stdin < file imports" 0 \
    timeout 60 "$PMSCOPE" import -w s.pmscope /dev/stdin < session.har
expect_match "HAR on stdin: reported as imported" "$OUT" '^/dev/stdin: imported as source 1 \(har'
expect_eq "HAR on stdin: the file's sha256 and size recorded" \
    "$(q s.pmscope "select sha256, size from sources where id = 1")" \
    "$(sha session.har)|$(stat -c %s session.har)"
expect_eq "HAR on stdin: its windows are there" \
    "$(q s.pmscope "select count(*) > 0 from windows where source_id = 1")" 1
expect_rc "trace piped into /dev/stdin imports" 0 \
    sh -c "cat trace.jsonl | timeout 60 '$PMSCOPE' import -w s.pmscope /dev/stdin"
expect_match "trace on stdin: imported" "$OUT" 'imported as source 2 \(trace'
expect_eq "trace on stdin: the file's sha256 and size recorded" \
    "$(q s.pmscope "select sha256, size from sources where id = 2")" \
    "$(sha trace.jsonl)|$(stat -c %s trace.jsonl)"
expect_eq "trace on stdin: its messages are there" \
    "$(q s.pmscope "select count(*) from messages where source_id = 2")" 3
expect_rc "the same HAR as a file is a repeat" 0 "$PMSCOPE" import -w s.pmscope session.har
expect_match "repeat of piped content reported" "$OUT" 'already imported as source 1 \(same sha256\)'
expect_rc "the same trace on stdin again is a repeat" 0 \
    timeout 60 "$PMSCOPE" import -w s.pmscope /dev/stdin < trace.jsonl
expect_match "piped repeat reported" "$OUT" 'already imported as source 2 \(same sha256\)'
expect_eq "no source added by the repeats" "$(q s.pmscope "select count(*) from sources")" 2

mkfifo fifo
for f in session.har trace.jsonl; do
    timeout 60 sh -c "cat $f > fifo" &
    expect_rc "$f through a FIFO imports" 0 timeout 60 "$PMSCOPE" import -w fifo.pmscope fifo
    expect_match "$f through a FIFO: imported" "$OUT" '^fifo: imported as source [12] \((har|trace)'
    wait
done
expect_eq "FIFO imports recorded with the files' hashes" \
    "$(q fifo.pmscope "select sha256 from sources order by id" | tr '\n' ' ')" \
    "$(sha session.har) $(sha trace.jsonl) "

before=$(ws_checksum fifo.pmscope)
timeout 60 sh -c "cat crawl.sqlite > fifo" 2>/dev/null &
expect_rc "an OpenWPM database through a FIFO is refused" 1 \
    timeout 60 "$PMSCOPE" import -w fifo.pmscope fifo
expect_match "the refusal says why and what to do" "$OUT" \
    '^pmscope: fifo: this is a pipe, and an OpenWPM crawl SQLite database .* must be a regular file: save it to a file'
wait
expect_eq "the refused pipe left the workspace as it was" "$(ws_checksum fifo.pmscope)" "$before"
expect_rc "an empty stdin is refused" 1 timeout 60 "$PMSCOPE" import -w fifo.pmscope /dev/stdin < /dev/null
expect_match "empty stdin: says it is empty" "$OUT" '/dev/stdin: file is empty'

# ---- parallel imports of one file -----------------------------------------
# parallel WS FILE: six imports of FILE at once; $OK counts exit 0, $DUP the
# "already imported" reports.
parallel() {
    local i
    for i in 1 2 3 4 5 6; do
        (timeout 120 "$PMSCOPE" import -w "$1" "$2" >"par$i.out" 2>&1; echo "rc=$?" >>"par$i.out") &
    done
    wait
    OK=$(cat par?.out | grep -c '^rc=0$')
    DUP=$(cat par?.out | grep -c 'already imported as source 1 (same sha256); use --force to import again')
}
for round in 1 2 3; do
    rm -f "par$round.pmscope"
    parallel "par$round.pmscope" session.har
    expect_eq "round $round: six imports into a new workspace all succeed" "$OK" 6
    expect_eq "round $round: exactly one source results" \
        "$(q "par$round.pmscope" "select count(*) from sources")" 1
    expect_eq "round $round: the other five report the repeat" "$DUP" 5
    parallel "par$round.pmscope" session.har
    expect_eq "round $round: six more into the existing one: all repeats" "$OK/$DUP" 6/6
    expect_eq "round $round: still one source" "$(q "par$round.pmscope" "select count(*) from sources")" 1
done

# ---- a failed import leaves no new workspace ------------------------------
echo 'not a trace' > bad.txt
expect_rc "import of a bad file into a new workspace fails" 1 "$PMSCOPE" import -w new.pmscope bad.txt
expect_rc "import of a missing file into a new workspace fails" 3 "$PMSCOPE" import -w new.pmscope missing.har
expect_rc "open of a bad file into a new workspace fails" 1 "$PMSCOPE" open -w new.pmscope bad.txt
expect_rc "a bad file through a pipe into a new workspace fails" 1 \
    timeout 60 "$PMSCOPE" import -w new.pmscope /dev/stdin < bad.txt
expect_eq "no workspace file (nor -wal, -shm, -journal) left behind" \
    "$(ls -a | grep -c '^new\.pmscope')" 0
expect_rc "a good and a bad file: the workspace is made" 1 "$PMSCOPE" import -w new.pmscope trace.jsonl bad.txt
expect_eq "it holds the good file" "$(q new.pmscope "select count(*) from sources")" 1
before=$(ws_checksum new.pmscope)
expect_rc "a failed import into an existing workspace" 1 "$PMSCOPE" import -w new.pmscope bad.txt
expect_eq "the existing workspace is kept as it was" "$(ws_checksum new.pmscope)" "$before"
