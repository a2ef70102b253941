#!/usr/bin/env bash
# record-hars.sh - record tests/data/hars/recorded/*.har again with a real
# Chromium (Debian's /usr/bin/chromium; `make chromium-dep` installs it):
# starts tests/data/har-site/serve.py on loopback, installs playwright-core
# and chrome-har from npm into a temporary directory, and runs record.js.
# Entry order and some fields differ from one recording to the next; the
# truth files of these recordings (tests/data/har-truth/local__*.tsv) name
# documents by URL, but read them against a new recording all the same.
# Needs network access to the npm registry; the tests need neither.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PORT_A=${PORT_A:-18731} PORT_B=${PORT_B:-18732} CLOSED=${CLOSED:-18739}
PORT_A2=${PORT_A2:-18741} PORT_B2=${PORT_B2:-18742}
tmp=$(mktemp -d /tmp/pmscope-record-hars.XXXXXX)
servers=
cleanup() { for p in $servers; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
if (exec 3<>"/dev/tcp/127.0.0.1/$CLOSED") 2>/dev/null; then
    echo "record-hars.sh: port $CLOSED must be closed (the failed frame)" >&2
    exit 1
fi
npm install --silent --prefix "$tmp" playwright-core@1 chrome-har@1 >/dev/null
python3 "$here/har-site/serve.py" "$PORT_A" "$PORT_B" "$CLOSED" > "$tmp/serve1.log" &
servers=$!
python3 "$here/har-site/serve.py" "$PORT_A2" "$PORT_B2" "$CLOSED" a.test b.test c.test \
    > "$tmp/serve2.log" &
servers="$servers $!"
for log in serve1 serve2; do
    for _ in $(seq 50); do grep -q ready "$tmp/$log.log" && break; sleep 0.1; done
done
NODE_PATH="$tmp/node_modules" node "$here/har-site/record.js" "$PORT_A" "$PORT_A2" "$tmp"
for f in "$tmp"/local__*.har; do
    cp "$f" "$here/hars/recorded/$(basename "$f")"
    echo "recorded tests/data/hars/recorded/$(basename "$f")"
done
