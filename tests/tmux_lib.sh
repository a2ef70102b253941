# tests/tmux_lib.sh - drive a program in a private tmux server (sourced
# after tests/lib.sh).  The same polling helpers tests/cli/tui.sh uses:
#
#   tmux_start SESSION COMMAND   detached 120x40 session running COMMAND
#   screen SESSION               the visible text
#   wait_for NAME SESSION REGEX [SECONDS]   PASS once REGEX shows, else FAIL
#   wait_gone NAME SESSION REGEX            PASS once REGEX is gone
#   keys SESSION KEY...          tmux send-keys
#
#   sql QUERY                    rows of QUERY on the workspace $WS
#   tmux_require                 FAIL and stop the script when tmux is missing
#
# The server is killed on exit.
SOCK=pmtest$$
TM=(tmux -L "$SOCK" -f /dev/null)
trap '"${TM[@]}" kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT

tmux_start() {
    "${TM[@]}" new-session -d -s "$1" -x 120 -y 40 -c "$T" "$2"
}

screen() { "${TM[@]}" capture-pane -p -t "$1" 2>/dev/null; }

wait_for() {
    local name=$1 s=$2 re=$3 limit=${4:-10} i
    for ((i = 0; i < limit * 20; i++)); do
        if screen "$s" | grep -Eq -- "$re"; then pass "$name"; return 0; fi
        sleep 0.05
    done
    fail "$name" "no match for /$re/ within ${limit}s; screen:" "$(screen "$s")"
    return 1
}

wait_gone() {
    local name=$1 s=$2 re=$3 i
    for ((i = 0; i < 200; i++)); do
        if ! screen "$s" | grep -Eq -- "$re"; then pass "$name"; return 0; fi
        sleep 0.05
    done
    fail "$name" "still matching /$re/; screen:" "$(screen "$s")"
}

keys() { "${TM[@]}" send-keys -t "$1" "${@:2}"; }

sql() { ws_query "$WS" "$1"; }

tmux_require() {
    if ! command -v tmux >/dev/null; then
        fail "tmux installed" "the TUI tests need tmux (apt-get install tmux)"
        exit 1
    fi
}
