#!/usr/bin/env bash
# tests/cli/tmp_cleanup.sh - temporary entries a killed pmscope left in
# $TMPDIR (pmscope-fetch-PID-XXXXXX files of `import URL`,
# pmscope-profile-PID-XXXXXX folders of `capture`) are removed by the next
# fetch or capture when process PID is gone.  Only entries of this user,
# of exactly that name and of the right type are removed; links are never
# followed; entries of live processes stay.  TMPDIR is a folder of the
# test's own, and the planted entries point only into it.
. "$(dirname "$0")/../lib.sh"

mkdir -p tmp keep/dir
echo precious > keep/precious
echo inside > keep/dir/file
export TMPDIR=$T/tmp

sh -c 'exit 0' &
dead=$!
wait "$dead"
if kill -0 "$dead" 2>/dev/null; then dead=999999999; fi
live=$$

# plant: what the next pmscope must remove ...
echo partial > "tmp/pmscope-fetch-$dead-AbC123"
mkdir -p "tmp/pmscope-profile-$dead-Xy12z9/Default/Cache"
echo cookie > "tmp/pmscope-profile-$dead-Xy12z9/Default/Cookies"
ln -s "$T/keep/precious" "tmp/pmscope-profile-$dead-Xy12z9/Default/link"
ln -s "$T/keep/dir" "tmp/pmscope-profile-$dead-Xy12z9/dirlink"
# ... and what it must keep
echo live > "tmp/pmscope-fetch-$live-Live12"
mkdir "tmp/pmscope-profile-$live-Live12"
echo x > "tmp/pmscope-fetch-$dead-short"
echo x > "tmp/pmscope-fetch-$dead-AbC123.bak"
echo x > "tmp/pmscope-fetch-AbC123"
ln -s "$T/keep/dir" "tmp/pmscope-profile-$dead-Sym123"
ln -s "$T/keep/precious" "tmp/pmscope-fetch-$dead-Sym123"
mkdir "tmp/pmscope-fetch-$dead-Dir123"
echo x > "tmp/pmscope-profile-$dead-File12"
echo x > "tmp/pmscope-fetch-$dead-Other1"
chown nobody "tmp/pmscope-fetch-$dead-Other1" 2>/dev/null || rm -f "tmp/pmscope-fetch-$dead-Other1"

# A fetch (to a port nothing listens on: it fails fast) cleans fetch files.
expect_rc "import of an unreachable URL fails" 1 \
    timeout 60 "$PMSCOPE" import -w ws.pmscope --connect-timeout 5 http://127.0.0.1:9/x.har
expect_eq "stale fetch file of a dead pmscope removed" "$(ls tmp | grep -c "^pmscope-fetch-$dead-AbC123\$")" 0
expect_eq "profile folders are left to capture" "$(ls -d tmp/pmscope-profile-$dead-Xy12z9 2>/dev/null | wc -l)" 1

# A capture (with a browser that exits at once) cleans profile folders.
printf '#!/bin/sh\nexit 1\n' > fake-chromium
chmod +x fake-chromium
timeout 60 "$PMSCOPE" capture --chromium "$T/fake-chromium" --duration 1 -o out.jsonl \
    https://a.example/ >/dev/null 2>&1
expect_eq "stale profile folder of a dead pmscope removed" \
    "$(ls -a tmp | grep -c "^pmscope-profile-$dead-Xy12z9\$")" 0
expect_eq "no new profile folder left by the failed capture (3 planted ones kept)" \
    "$(ls tmp | grep -c '^pmscope-profile-')" 3
expect_eq "links inside it were not followed" \
    "$(cat keep/precious keep/dir/file)" "precious
inside"
for kept in "pmscope-fetch-$live-Live12" "pmscope-profile-$live-Live12" \
            "pmscope-fetch-$dead-short" "pmscope-fetch-$dead-AbC123.bak" \
            "pmscope-fetch-AbC123" "pmscope-profile-$dead-Sym123" \
            "pmscope-fetch-$dead-Sym123" "pmscope-fetch-$dead-Dir123" \
            "pmscope-profile-$dead-File12"; do
    expect_eq "kept: ${kept/$dead/DEAD}" "$(ls -a tmp | grep -cxF "$kept")" 1
done
if [ -e "tmp/pmscope-fetch-$dead-Other1" ]; then
    expect_eq "kept: another user's entry" "$(ls -a tmp | grep -cxF "pmscope-fetch-$dead-Other1")" 1
fi
expect_eq "the linked folder outside TMPDIR is intact" "$(ls keep/dir)" "file"
