#!/usr/bin/env bash
# tests/ui_deps.sh [OBJDIR] - which ui/ file uses which other ui/ file.
#
# Reads the symbols of the ui/*.o objects (nm): a file uses another when
# it refers to a function or table the other defines.  Prints one line per
# file ("keys -> app actions list prompt"), then checks the rules the TUI's
# layering keeps and prints "LOOP: ..." or "RULE: ..." for each break:
#   - the uses form no loop (tsort finds an order);
#   - a view (a file defining a pm_screen_* descriptor) uses no other view;
#   - only ui.c, which holds the view table, names the descriptors.
# Exit status: 0 when every rule holds, 1 otherwise, 2 on a usage error.
# OBJDIR defaults to build/obj/ui; when it lacks an object for some
# ui/*.c, every file is compiled into a temporary directory instead.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
objdir=${1:-$root/build/obj/ui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names=()
for c in "$root"/ui/*.c; do
    n=$(basename "$c" .c)
    names+=("$n")
    [ -f "$objdir/$n.o" ] || objdir=""
done
if [ -z "$objdir" ]; then
    objdir="$tmp/obj"
    mkdir -p "$objdir"
    cflags=$(pkg-config --cflags ncursesw sqlite3 libcjson libcurl libcrypto 2>/dev/null)
    for n in "${names[@]}"; do
        # shellcheck disable=SC2086
        cc -std=c11 -D_GNU_SOURCE -DPM_VERSION='"0"' -I"$root/src" \
           -I"$root/importers" -I"$root/ui" $cflags -O0 -w -c \
           -o "$objdir/$n.o" "$root/ui/$n.c" || exit 2
    done
fi

# defs: "symbol file" for every global a ui file defines.
for n in "${names[@]}"; do
    nm -g --defined-only "$objdir/$n.o" | awk -v f="$n" 'NF == 3 { print $3, f }'
done | sort > "$tmp/defs"
# uses: "file symbol" for every global a ui file leaves undefined.
for n in "${names[@]}"; do
    nm -u "$objdir/$n.o" | awk -v f="$n" '{ print f, $NF }'
done | sort -u > "$tmp/uses"
# edges: "user definer symbol", within ui/ only.
awk 'NR == FNR { def[$1] = $2; next }
     ($2 in def) && def[$2] != $1 { print $1, def[$2], $2 }' \
    "$tmp/defs" "$tmp/uses" | sort -u > "$tmp/edges"

for n in "${names[@]}"; do
    printf '%-14s -> %s\n' "$n" \
        "$(awk -v f="$n" '$1 == f { print $2 }' "$tmp/edges" | sort -u | tr '\n' ' ')"
done

bad=0
awk '{ print $1, $2 }' "$tmp/edges" | sort -u > "$tmp/pairs"
for n in "${names[@]}"; do echo "$n $n"; done >> "$tmp/pairs"
if ! tsort "$tmp/pairs" > /dev/null 2> "$tmp/tsort"; then
    echo "LOOP: files on a loop: $(grep -v 'input contains a loop' "$tmp/tsort" |
        sed 's/^tsort: //' | sort -u | tr '\n' ' ')"
    bad=1
fi

views=$(awk '$1 ~ /^pm_screen_/ { print $2 }' "$tmp/defs" | sort -u | tr '\n' ' ')
while read -r user definer sym; do
    case " $views " in *" $user "*) ;; *) continue ;; esac
    case " $views " in *" $definer "*)
        echo "RULE: view $user uses $sym of view $definer"; bad=1 ;;
    esac
done < "$tmp/edges"
while read -r user definer sym; do
    case $sym in pm_screen_*) ;; *) continue ;; esac
    if [ "$user" != ui ]; then
        echo "RULE: $user names the descriptor $sym (only ui.c holds the table)"
        bad=1
    fi
done < "$tmp/edges"
exit $bad
