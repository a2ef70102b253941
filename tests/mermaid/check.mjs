// tests/mermaid/check.mjs [--md] FILE - parse Mermaid diagrams with
// Mermaid's own parser (the package pinned in package-lock.json, run under
// node with jsdom standing in for the browser DOM it expects).
//
// FILE is one diagram, or with --md a Markdown document whose ```mermaid
// fenced blocks are each one diagram.  Prints one JSON line per diagram:
//   {"ok": true, "type": "flowchart-v2",
//    "nodes": [[id, label], ...], "edges": [[from, to, label, stroke], ...]}
// with labels as a renderer shows them (entity codes decoded), or
//   {"ok": false, "error": "Parse error on line 4: ..."}.
// Exit status 0 when every diagram parsed, 1 otherwise.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

const args = process.argv.slice(2);
const md = args[0] === '--md';
const text = readFileSync(args[md ? 1 : 0], 'utf8');

// Fenced blocks the way CommonMark closes them: a fence of at least the
// opening's length.
function mermaidBlocks(doc) {
  const out = [];
  let open = null, body = [];
  for (const line of doc.split('\n')) {
    const m = /^ {0,3}(`{3,})(.*)$/.exec(line);
    if (open === null) {
      if (m) { open = m[1].length; body = m[2].trim() === 'mermaid' ? [] : null; }
    } else if (m && m[1].length >= open && m[2].trim() === '') {
      if (body !== null) out.push(body.join('\n') + '\n');
      open = null;
    } else if (body !== null) {
      body.push(line);
    }
  }
  return out;
}

// Mermaid keeps "#quot;" and "#91;" in an internal spelling until it
// draws: turn them into HTML entities, then into text.
function shown(s) {
  const html = String(s ?? '').replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&')
    .replace(/¶ß/g, ';');
  const t = document.createElement('textarea');
  t.innerHTML = html;
  return t.value;
}

let failed = 0;
for (const d of md ? mermaidBlocks(text) : [text]) {
  try {
    const r = await mermaid.parse(d);
    const out = { ok: true, type: r.diagramType };
    if (r.diagramType.startsWith('flowchart')) {
      const diagram = await mermaid.mermaidAPI.getDiagramFromText(d);
      out.nodes = [...diagram.db.getVertices().values()]
        .map((v) => [v.id, shown(v.text)]);
      out.edges = diagram.db.getEdges()
        .map((e) => [e.start, e.end, shown(e.text), e.stroke]);
    }
    console.log(JSON.stringify(out));
  } catch (e) {
    failed++;
    console.log(JSON.stringify({ ok: false, error: String(e.message ?? e) }));
  }
}
process.exit(failed ? 1 : 0);
