#!/usr/bin/env python3
"""Checks tests/cli/hostile.sh runs over what pmscope wrote.

    check_output.py text FILE     no byte that a terminal would act on:
                                  ESC, other C0 controls but \\n and \\t, DEL,
                                  C1 controls (raw or UTF-8), bidi controls,
                                  zero-width, tag and other invisible
                                  characters, invalid UTF-8
    check_output.py tty FILE      a terminal session log (script(1)): only
                                  the escape sequences a curses program
                                  emits (CSI, charset and keypad modes),
                                  none of the data's (no OSC, DCS, APC,
                                  device queries, C1, bidi, NUL)
    check_output.py markdown FILE a report: text rules, every GFM table row
                                  has as many cells as its header, Mermaid
                                  lines are diagram statements whose labels
                                  hold nothing Mermaid acts on (# ; % < > &
                                  or a backtick outside entity codes; in
                                  the origin graph's flowchart also no
                                  quote, bracket, pipe, $ or backslash)
Prints what is wrong and exits 1, or exits 0.
"""
import re
import sys

BIDI = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029} | set(range(0x202A, 0x202F)) \
    | set(range(0x2066, 0x206A))
# Characters that render as nothing: zero-width space and joiners, soft
# hyphen, word joiner and invisible operators, BOM, tag characters.
INVISIBLE = {0x00AD, 0x200B, 0x200C, 0x200D, 0xFEFF} | set(range(0x2060, 0x2070)) \
    | set(range(0xE0000, 0xE0080))


def bad_chars(text, allow=("\n", "\t")):
    out = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if ch in allow:
            continue
        if cp < 0x20 or 0x7F <= cp < 0xA0 or cp in BIDI or cp in INVISIBLE \
                or 0xDC80 <= cp <= 0xDCFF:
            out.append("offset %d: U+%04X in ...%r..." % (i, cp, text[max(0, i - 30):i + 10]))
    return out


def check_text(data):
    return bad_chars(data.decode("utf-8", "surrogateescape"))


# What curses (ncurses, TERM=xterm-256color) writes: CSI sequences with
# numeric parameters, ESC ( B / ESC ) 0 charsets, ESC = / ESC > keypad,
# ESC 7 / ESC 8, ESC M.  Device queries the data carries (6n, 21t) must not
# appear, nor any string sequence (OSC ESC ], DCS ESC P, APC ESC _, PM ESC ^).
CURSES_ESC = re.compile(rb"\x1b(\[[?>]?[0-9;]*[A-Za-z@`]|[()][0-9A-B]|[=>78M])")


def check_tty(data):
    problems = []
    for m in re.finditer(rb"\x1b", data):
        seq = CURSES_ESC.match(data, m.start())
        if not seq:
            problems.append("offset %d: escape sequence a curses program does not "
                            "emit: %r" % (m.start(), data[m.start():m.start() + 16]))
        elif seq.group(0) in (b"\x1b[6n", b"\x1b[21t"):
            problems.append("offset %d: terminal query %r" % (m.start(), seq.group(0)))
    rest = CURSES_ESC.sub(b"", data)
    problems += bad_chars(rest.decode("utf-8", "surrogateescape"),
                          allow=("\n", "\t", "\r", "\b", "\x07", "\x0f", "\x0e"))
    return problems[:20]


ENTITY = re.compile(r"#\d+;")
MERMAID_STMT = re.compile(
    r"^\s*(sequenceDiagram|autonumber|end|"
    r"participant \w+( as .*)?|"
    r"\w+-{1,2}[>)x]{1,2}[+-]?\w+: .*|"
    r"Note (over|left of|right of) [\w,]+: .*|"
    r"(rect|loop|alt|opt|else) .*)$")

# The origin graph: generated node ids, quoted labels.
FLOW_STMT = re.compile(
    r'^    (n\d+\["(?P<node>[^"]*)"\]|'
    r'n\d+ (-->|-\.->)\|"(?P<edge>[^"]*)"\| n\d+|'
    r'classDef top stroke-width:3px|class n\d+(,n\d+)* top)$')


def label_of(line):
    s = line.strip()
    if s.startswith("participant ") and " as " in s:
        return s.split(" as ", 1)[1]
    if ": " in s:
        return s.split(": ", 1)[1]
    return ""


def unescaped_pipes(row):
    n, i = 0, 0
    while i < len(row):
        if row[i] == "\\":
            i += 2
            continue
        if row[i] == "|":
            n += 1
        i += 1
    return n


def check_markdown(data):
    problems = check_text(data)
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    fence, info, header, diagram = None, "", None, None
    for no, line in enumerate(lines, 1):
        m = re.match(r"^(`{3,}|~{3,})(.*)$", line)
        if fence is None and m:
            fence, info, diagram = m.group(1), m.group(2).strip(), None
            continue
        if fence is not None:
            if line.startswith(fence) and line.strip() == fence[0] * len(line.strip()) \
                    and len(line.strip()) >= len(fence):
                fence = None
            elif info == "mermaid" and (diagram == "flowchart LR"
                                        or line == "flowchart LR"):
                diagram = diagram or line
                m = FLOW_STMT.match(line)
                if line != "flowchart LR" and not m:
                    problems.append("line %d: not a flowchart statement: %r" % (no, line))
                lab = ENTITY.sub("", (m.group("node") or m.group("edge") or "") if m else "")
                if re.search(r"[;#<>&`%\[\]|$\\]", lab):
                    problems.append("line %d: Mermaid syntax in a label: %r" % (no, line))
            elif info == "mermaid":
                if not MERMAID_STMT.match(line):
                    problems.append("line %d: not a Mermaid statement: %r" % (no, line))
                # A sequence diagram reads a label to the end of the line:
                # only a comment (# or %%), a statement break (;), HTML
                # (< > &) or a backtick (the fence) can break out of it.
                lab = ENTITY.sub("", label_of(line))
                if re.search(r"[;#<>&`%]", lab):
                    problems.append("line %d: Mermaid syntax in a label: %r" % (no, line))
            continue
        if line.startswith("|"):
            cells = unescaped_pipes(line)
            if header is None:
                header = cells
            elif cells != header:
                problems.append("line %d: table row has %d pipes, header %d: %r"
                                % (no, cells, header, line[:120]))
        else:
            header = None
    return problems[:20]


def main():
    mode, path = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    problems = {"text": check_text, "tty": check_tty,
                "markdown": check_markdown}[mode](data)
    for p in problems[:20]:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
