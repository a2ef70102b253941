#!/usr/bin/env bash
# sample-traces/record.sh - re-record the bundled samples from the demo site
# (`make samples`): serve sample-traces/site/ on its three loopback origins
# (serve.py), capture it with `pmscope capture`, write
# sample-traces/demo.jsonl and sample-traces/demo.har, stop the server.
#
#   PMSCOPE=path/to/pmscope bash sample-traces/record.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
pmscope=${PMSCOPE:-$root/pmscope}
[ -x "$pmscope" ] || { echo "record.sh: $pmscope not built (make pmscope)" >&2; exit 2; }

tmp=$(mktemp -d)
python3 "$here/serve.py" --port-file "$tmp/ports" &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$tmp/ports" ] && break; sleep 0.1; done
if [ ! -s "$tmp/ports" ]; then
    echo "record.sh: serve.py did not start (ports 8101-8103 busy?)" >&2
    exit 1
fi

"$pmscope" capture http://127.0.0.1:8101/ --until-idle=3000 --duration 30 \
    -o "$tmp/demo.jsonl" --har "$tmp/demo.har" || exit 1
mv "$tmp/demo.jsonl" "$here/demo.jsonl"
mv "$tmp/demo.har" "$here/demo.har"
echo "wrote $here/demo.jsonl and $here/demo.har"
