#!/usr/bin/env bash
# HAR windows against truth files: each real HAR of tests/data/hars (from
# browsers and proxies) and tests/data/hars/recorded (recorded from
# tests/data/har-site by tests/data/record-hars.sh), and the bundled demo's
# sample-traces/demo.har (truth sample__demo.tsv), has a truth file in
# tests/data/har-truth/ written by reading its entries: the top document
# of each page, the popups with their openers, the frame documents with
# their parents, the redirect hops and the non-documents.  Every top must
# be a top window, no non-document a window, and at least 90% of the
# frames frame windows under the right parent
# (tests/data/har-truth/check.py).  Prints each file's score.
. "$(dirname "$0")/../lib.sh"
HARS="$PM_ROOT/tests/data/hars"
TRUTH="$PM_ROOT/tests/data/har-truth"

n=0
for truth in "$TRUTH"/*.tsv; do
    name=$(basename "$truth" .tsv)
    n=$((n + 1))
    har=$HARS/$name.har
    [ -f "$har" ] || har=$HARS/recorded/$name.har
    case $name in sample__*) har=$PM_ROOT/sample-traces/${name#sample__}.har ;; esac
    expect_rc "har truth: $name imports" 0 \
        "$PMSCOPE" import -q -w "$n.pmscope" "$har"
    expect_match "har truth: $name imports without warnings" "$OUT" '\(har, 0 warnings\)'
    expect_rc "har truth: $name windows match the truth" 0 \
        python3 "$TRUTH/check.py" "$PMSCOPE" "$n.pmscope" "$truth"
    printf '  %s: %s\n' "$name" "$(printf '%s\n' "$OUT" | sed -n 's/^SCORE //p')"
done
expect_eq "har truth: every HAR of tests/data/hars has a truth file" \
    "$(cd "$HARS" && ls *.har recorded/*.har | sed 's|^recorded/||; s/\.har$//' | sort)" \
    "$(cd "$TRUTH" && ls *.tsv | grep -v '^sample__' | sed 's/\.tsv$//' | sort)"
