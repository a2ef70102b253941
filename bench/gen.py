#!/usr/bin/env python3
"""bench/gen.py - deterministic large inputs for `make bench`.

Everything is derived from --seed, so two runs write byte-identical files.
The shapes follow the demo site (sample-traces/site/): a top page embedding
cross-origin widgets that embed further frames, listeners that check
event.origin with ===, indexOf, endsWith, a regex or not at all, request/reply
flows keyed by an `id` member, MessagePort ping/pong and '*' broadcasts.

  gen.py har    OUT.har    [--entries N] [--mb MB] [--seed S]
  gen.py trace  OUT.jsonl  [--messages N] [--frames N] [--origins N]
                           [--rows ROWS.tsv] [--seed S]
  gen.py bundle OUT.js     [--mb MB] [--seed S]

har:    Chrome-style HAR 1.2 (pages, Sec-Fetch-Dest, _initiator, _resourceType)
        with ~2% document loads (top pages and nested frames), scripts (many
        minified bundles with message listeners, some shared across pages so
        bodies deduplicate), HTML, JSON XHRs, CSS and images without text.
        OUT.meta records the entry count and the largest entry's bytes (the
        importer's memory bound is judged against it).
trace:  pmscope trace JSONL: frames, listeners, then messages.
        --rows also writes the message rows as TSV (ext_id, ts, sender window,
        receiver window, sender origin, receiver origin, target_origin, via,
        port, data_json) with window/origin numbers starting at 1: the input of
        bench/bulk_insert.c, the plain-SQLite floor.
bundle: one minified bundle of about MB megabytes for the JS scanner.
"""
import argparse
import json
import random
import sys

WORDS = ("user session token config theme widget ready hello welcome ping pong "
         "resize height width scroll track event click view load done ack "
         "profile cart checkout price item list sync state update close open "
         "auth login logout consent banner video play pause seek ad slot bid "
         "analytics metric timing error retry").split()

# Handler bodies in the demo site's styles; {p} is the event parameter,
# {o} an origin the handler trusts.
HANDLERS = [
    "function({p}){{if({p}.origin!==\"{o}\")return;var d={p}.data;if(d.cmd===\"getUser\"){{{p}.source.postMessage({{id:d.id,result:u}},{p}.origin)}}}}",
    "function({p}){{if({p}.origin.indexOf(\"{h}\")>-1){{document.getElementById(\"w\").innerHTML={p}.data.html}}}}",
    "function({p}){{if(!{p}.origin.endsWith(\"{h}\"))return;{p}.data.type===\"nested-ready\"&&parent.postMessage({{type:\"hello\",from:\"widget\"}},\"{o}\")}}",
    "function({p}){{if(!/{hr}/.test({p}.origin))return;if({p}.data.type===\"popup-ready\"){{popup.postMessage({{type:\"welcome\",session:s}},\"{o}\")}}}}",
    "function({p}){{var d=typeof {p}.data==\"string\"?JSON.parse({p}.data):{p}.data;d&&d.href&&(location.href=d.href)}}",
    "function({p}){{if({p}.origin===location.origin||{p}.origin===\"{o}\"){{var t=document.createElement(\"div\");t.textContent={p}.data.msg;b.appendChild(t)}}}}",
    "function({p}){{try{{var m=JSON.parse({p}.data);m.eval&&eval(m.eval)}}catch(x){{}}}}",
    "function({p}){{if({p}.data&&{p}.data.type===\"resize\"){{f.style.height={p}.data.height+\"px\"}}}}",
]

FILLER = [
    "var {a}=function({b},{c}){{return {b}.map(function(x){{return x*{n}+{c}}}).filter(Boolean)}};",
    "function {a}({b}){{for(var i=0;i<{b}.length;i++){{if({b}[i]==={n})return i}}return-1}}",
    "{a}.prototype.{b}=function({c}){{this._{c}=({c}||\"\").replace(/[<>]/g,\"\");return this}};",
    "var {a}=/^https?:\\/\\/[a-z0-9.-]+(:\\d+)?\\//i,{b}=\"{w} {w2}\".split(\" \");",
    "!function(){{var {a}=document.querySelectorAll(\"[data-{w}]\");for(var {b}=0;{b}<{a}.length;{b}++){a}[{b}].setAttribute(\"aria-{w2}\",\"{n}\")}}();",
    "{a}=`{w} ${{{b}}} {w2}`+({c}?{n}/2:{n}%3);",
    "if({a}&&{a}.{w}){{{b}.push({{k:\"{w2}\",v:{n}}})}}else{{{c}={a}||{{}}}}",
    "var {a}=\"{w}\\\"{w2}\\\\\"+'{w}\\'{n}';/* {w} {w2} */",
    "switch({a}){{case {n}:{b}();break;case\"{w}\":{c}({n});break;default:{b}={c}}}",
]

SENDS = [
    "{a}.contentWindow.postMessage({{type:\"{w}\",id:{n}}},\"{o}\");",
    "parent.postMessage({{type:\"{w}\",height:document.body.scrollHeight}},\"*\");",
    "window.opener&&window.opener.postMessage(\"{w}:{n}\",\"*\");",
]


def ident(r):
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyz_$") for _ in range(r.randint(1, 3)))


class Shapes:
    """Origins and code fragments shared by the HAR and the trace."""

    def __init__(self, r, n_origins):
        tlds = ["example", "test", "example.com", "cdn.test", "ads.example"]
        self.origins = []
        for i in range(n_origins):
            scheme = "https" if i % 7 else "http"
            port = "" if i % 5 else ":%d" % (8100 + i)
            host = "%s%d.%s" % (r.choice(["www", "widget", "cdn", "api", "pay", "ads", "auth"]),
                                i, tlds[i % len(tlds)])
            self.origins.append("%s://%s%s" % (scheme, host, port))
        self.r = r

    def fragment(self, kind):
        r = self.r
        o = r.choice(self.origins)
        host = o.split("://", 1)[1]
        args = dict(a=ident(r), b=ident(r), c=ident(r), n=r.randint(0, 9999),
                    w=r.choice(WORDS), w2=r.choice(WORDS), o=o, h=host,
                    hr=host.replace(".", "\\."), p=r.choice(["e", "t", "n", "evt", "msg"]))
        if kind == "handler":
            body = r.choice(HANDLERS).format(**args)
            if r.random() < 0.5:
                return "window.addEventListener(\"message\",%s,!1);" % body
            return "%s.onmessage=%s;" % (r.choice(["window", "self", "port"]), body)
        if kind == "send":
            return r.choice(SENDS).format(**args)
        return r.choice(FILLER).format(**args)

    def pool(self, n):
        """n filler fragments to assemble bundles from quickly."""
        return [self.fragment("filler") for _ in range(n)]


def bundle_text(r, shapes, pool, size):
    """A minified bundle of about size bytes: a webpack-like wrapper, filler
    from the pool and a handler or send every ~4 KB."""
    parts = ["(self.webpackChunk=self.webpackChunk||[]).push([[%d],{%d:function(e,t,n){" %
             (r.randint(1, 999), r.randint(1, 99999))]
    total = len(parts[0])
    k = len(pool)
    while total < size:
        if r.random() < 0.02:
            f = shapes.fragment("handler" if r.random() < 0.7 else "send")
        else:
            f = pool[r.randrange(k)]
        parts.append(f)
        total += len(f)
    parts.append("}}]);")
    return "".join(parts)


# ---------------------------------------------------------------- HAR ------

REQ_HEADERS = [
    ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ("Accept-Language", "en-US,en;q=0.9"),
    ("Connection", "keep-alive"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "HeadlessChrome/156.0.0.0 Safari/537.36"),
    ("sec-ch-ua", "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\""),
    ("sec-ch-ua-mobile", "?0"),
    ("sec-ch-ua-platform", "\"Linux\""),
]

DEST = {  # kind -> (Sec-Fetch-Dest, _resourceType, mime, Accept)
    "document": ("document", "Document", "text/html", "text/html,application/xhtml+xml"),
    "iframe": ("iframe", "Document", "text/html", "text/html,application/xhtml+xml"),
    "script": ("script", "Script", "application/javascript", "*/*"),
    "xhr": ("empty", "XHR", "application/json", "application/json, text/plain, */*"),
    "css": ("style", "Stylesheet", "text/css", "text/css,*/*;q=0.1"),
    "image": ("image", "Image", "image/png", "image/avif,image/webp,*/*"),
}


def hdrs(pairs):
    return "[" + ",".join('{"name":%s,"value":%s}' % (json.dumps(n), json.dumps(v))
                          for n, v in pairs) + "]"


def har_entry(idx, t_ms, page, kind, url, origin, referer, initiator, text, frameref):
    dest, rtype, mime, accept = DEST[kind]
    host = url.split("/")[2]
    req = [("Accept", accept), ("Host", host), ("Sec-Fetch-Dest", dest),
           ("Sec-Fetch-Mode", "navigate" if kind in ("document", "iframe") else "cors"),
           ("Sec-Fetch-Site", "cross-site")] + REQ_HEADERS
    if referer:
        req.append(("Referer", referer))
    resp = [("Content-Type", mime), ("Cache-Control", "max-age=%d" % (idx % 86400)),
            ("Date", "Wed, 25 Nov 2026 12:%02d:%02d GMT" % (idx // 60 % 60, idx % 60)),
            ("Server", "bench")]
    if kind == "iframe" and idx % 3 == 0:
        resp.append(("Content-Security-Policy", "frame-ancestors 'self' %s" % origin))
    if kind == "document":
        resp.append(("X-Frame-Options", "SAMEORIGIN"))
    s = t_ms / 1000.0
    content = '{"size":%d,"mimeType":"%s"%s}' % (
        len(text) if text else 0, mime, ',"text":' + text if text else "")
    init = ',"_initiator":%s' % initiator if initiator else ""
    fr = ',"_frameref":"%s"' % frameref if frameref else ""
    return (
        '{"pageref":"%s","startedDateTime":"2026-11-25T%02d:%02d:%06.3fZ","time":%.3f,'
        '"request":{"method":"GET","url":%s,"httpVersion":"h2","cookies":[],"headers":%s,'
        '"queryString":[],"headersSize":-1,"bodySize":0},'
        '"response":{"status":200,"statusText":"OK","httpVersion":"h2","cookies":[],'
        '"headers":%s,"content":%s,"redirectURL":"","headersSize":-1,"bodySize":%d},'
        '"cache":{},"timings":{"blocked":-1,"dns":-1,"connect":-1,"send":0.1,"wait":%.3f,'
        '"receive":0.5,"ssl":-1},"serverIPAddress":"127.0.0.1","_resourceType":"%s"%s%s}'
        % (page, 10 + int(s // 3600) % 12, int(s // 60) % 60, s % 60, 5 + idx % 300,
           json.dumps(url), hdrs(req), hdrs(resp), content,
           len(text) if text else 0, 3 + idx % 97, rtype, init, fr))


def gen_har(args):
    r = random.Random(args.seed)
    shapes = Shapes(r, 50)
    pool = shapes.pool(400)
    n = args.entries
    target = int(args.mb * 1e6)
    overhead = 1100  # bytes of an entry without its body text
    body_budget = max(target - n * overhead, n * 100)
    n_pages = max(1, n // 250)
    # Body mix: every page loads one vendor bundle of a few hundred KB
    # (shared across pages, so bodies deduplicate) -- ~35% of the bytes;
    # other scripts -- ~40%, half shared small chunks, half page-specific;
    # HTML documents with inline scripts -- ~10%; JSON and CSS the rest.
    n_scripts = int(n * 0.30)
    avg_script = int(body_budget * 0.40 / max(1, n_scripts))
    vendor_size = int(body_budget * 0.35 / n_pages)
    vendors = []
    for i in range(max(2, n_pages // 8)):
        vendors.append((shapes.origins[i % len(shapes.origins)] + "/static/vendor.%x.js" % i,
                        json.dumps(bundle_text(r, shapes, pool,
                                               int(vendor_size * r.uniform(0.5, 1.5))))))
    shared = []
    for i in range(max(4, n_pages // 2)):
        shared.append((shapes.origins[i % len(shapes.origins)] + "/static/lib.%x.js" % i,
                       json.dumps(bundle_text(r, shapes, pool,
                                              int(avg_script * r.choice([0.5, 1, 1.5]))))))
    out = open(args.out, "w", encoding="utf-8")
    out.write('{"log":{"version":"1.2","creator":{"name":"bench-gen","version":"1"},"pages":[')
    out.write(",".join('{"startedDateTime":"2026-11-25T10:00:00.000Z","id":"page_%d",'
                       '"title":"p%d","pageTimings":{}}' % (p, p) for p in range(n_pages)))
    out.write('],"entries":[\n')
    per_page = n // n_pages
    idx = 0
    t = 0.0
    first = True
    largest = 0
    big_html = int(body_budget * 0.10 / max(1, int(n * 0.04)))
    for p in range(n_pages):
        page = "page_%d" % p
        top_o = shapes.origins[p % len(shapes.origins)]
        top_url = "%s/p/%d/index.html" % (top_o, p)
        docs = [(top_url, top_o)]
        for k in range(per_page if p < n_pages - 1 else n - idx):
            t += r.uniform(0.5, 40)
            roll = r.random()
            ref, init, text, frameref = docs[-1][0], None, None, None
            if k == 0:
                kind, url, o, ref = "document", top_url, top_o, None
            elif k == 1:
                kind = "script"
                url, text = vendors[p % len(vendors)]
                o = url.split("/static/")[0]
            elif roll < 0.02 and len(docs) < 12:
                kind = "iframe"
                o = r.choice(shapes.origins)
                url = "%s/frame/%d/%d.html" % (o, p, k)
                parent = r.choice(docs)
                init = '{"type":"parser","url":%s}' % json.dumps(parent[0])
                ref = parent[0]
                docs.append((url, o))
            elif roll < 0.32:
                kind = "script"
                if r.random() < 0.5:
                    url, text = r.choice(shared)
                    o = url.split("/static/")[0]
                else:
                    o = r.choice(shapes.origins)
                    url = "%s/static/chunk.%d.%d.js" % (o, p, k)
                    text = json.dumps(bundle_text(r, shapes, pool,
                                                  int(avg_script * r.uniform(0.2, 1.8))))
            elif roll < 0.57:
                kind, o = "xhr", r.choice(shapes.origins)
                url = "%s/api/%s?i=%d" % (o, r.choice(WORDS), idx)
                text = json.dumps(json.dumps({"id": idx, r.choice(WORDS): r.choice(WORDS),
                                              "items": [r.randint(0, 999) for _ in range(8)]}))
            elif roll < 0.67:
                kind, o = "css", r.choice(shapes.origins)
                url = "%s/s/%d.css" % (o, k)
                text = json.dumps(".%s{color:#%06x}" % (r.choice(WORDS), r.randint(0, 0xffffff)) * 20)
            else:
                kind, o = "image", r.choice(shapes.origins)
                url = "%s/img/%d.png" % (o, idx)
            if kind in ("document", "iframe"):
                inner = "".join('<iframe src="%s/frame/%d/%d.html"></iframe>' % (
                    r.choice(shapes.origins), p, k + j) for j in range(2))
                script = bundle_text(r, shapes, pool, big_html)
                text = json.dumps("<!doctype html><html><head><title>%s</title></head><body>%s"
                                  "<script>%s</script></body></html>" % (url, inner, script))
                if kind == "document":
                    frameref = "F%d" % p
            if not first:
                out.write(",\n")
            first = False
            entry = har_entry(idx, t, page, kind, url, o, ref, init, text, frameref)
            largest = max(largest, len(entry))
            out.write(entry)
            idx += 1
    out.write("]}}\n")
    out.close()
    with open(args.out + ".meta", "w") as meta:
        meta.write("entries=%d\nlargest_entry=%d\n" % (idx, largest))


# ---------------------------------------------------------------- trace ----

def gen_trace(args):
    r = random.Random(args.seed)
    shapes = Shapes(r, args.origins)
    origins = shapes.origins
    out = open(args.out, "w", encoding="utf-8")
    rows = open(args.rows, "w", encoding="utf-8") if args.rows else None
    w = out.write
    w('{"v":1,"type":"meta","tool":"bench-gen","tool_version":"1","start_url":"%s/",'
      '"started":"2026-11-25T10:00:00Z"}\n' % origins[0])
    n_frames = args.frames
    frame_origin = []
    tops = max(1, n_frames // 10)
    for f in range(n_frames):
        if f < tops:
            o = f % len(origins)
            kind, parent = "top", "null"
        else:
            o = r.randrange(len(origins))
            kind, parent = "iframe", '"F%d"' % (r.randrange(0, f) + 1)
        frame_origin.append(o)
        w('{"v":1,"type":"frame","id":"F%d","kind":"%s","url":"%s/f/%d.html","parent":%s,'
          '"opener":null,"ts":%d}\n' % (f + 1, kind, origins[o], f, parent, f))
        for _ in range(r.randint(0, 3)):
            src = shapes.fragment("handler")
            w('{"v":1,"type":"listener","frame":"F%d","script_url":"%s/static/app.js",'
              '"line":%d,"col":%d,"source":%s,"target":"window"}\n'
              % (f + 1, origins[o], r.randint(1, 5000), r.randint(1, 200), json.dumps(src)))
    # Pairs of frames that talk (a frame and its parent, or siblings).
    pairs = [(r.randrange(n_frames), r.randrange(n_frames)) for _ in range(600)]
    pairs = [(a, b) for a, b in pairs if a != b] or [(0, min(1, n_frames - 1))]
    ts = 1000.0
    i = 0
    n = args.messages
    dumps = json.dumps
    choice = r.choice
    rnd = r.random
    while i < n:
        a, b = choice(pairs)
        roll = rnd()
        ts += rnd() * 3
        if roll < 0.45 and i + 1 < n:
            # request/reply flow keyed by id
            rid = i
            cmd = choice(WORDS)
            msgs = [(a, b, '"%s"' % origins[frame_origin[b]], "window", None,
                     '{"id":%d,"cmd":"%s","args":["%s",%d]}' % (rid, cmd, choice(WORDS), i % 977)),
                    (b, a, '"%s"' % origins[frame_origin[a]], "window", None,
                     '{"id":%d,"result":{"%s":"%s %s","n":%d}}'
                     % (rid, cmd, choice(WORDS), choice(WORDS), i % 313))]
        elif roll < 0.65 and i + 1 < n:
            ch = "C%d" % (i % 97)
            msgs = [(a, b, "null", "port", ch, '{"type":"ping","n":%d}' % i),
                    (b, a, "null", "port", ch, '{"type":"pong","n":%d}' % i)]
        elif roll < 0.90:
            msgs = [(a, b, '"*"', "window", None,
                     '{"type":"%s","height":%d,"msg":"%s %s"}'
                     % (choice(WORDS), i % 2000, choice(WORDS), choice(WORDS)))]
        elif roll < 0.999:
            msgs = [(a, b, '"%s"' % origins[frame_origin[b]], "window", None,
                     dumps("%s:%d" % (choice(WORDS), i)))]
        else:
            # rare: a token-bearing config message (what a regex hunts for)
            msgs = [(a, b, '"*"', "window", None,
                     '{"type":"config","token":"tok_%08x","theme":"<b>dark</b>"}'
                     % r.getrandbits(32))]
        for (s, d, target, via, port, data) in msgs:
            i += 1
            ts += 0.05
            so, ro = origins[frame_origin[s]], origins[frame_origin[d]]
            w('{"v":1,"type":"message","id":"M%d","ts":%.3f,"sender":"F%d","receiver":"F%d",'
              '"target_origin":%s,"via":"%s"%s,"data":%s,"sender_origin":"%s",'
              '"receiver_origin":"%s"}\n'
              % (i, ts, s + 1, d + 1, target, via,
                 ',"port":"%s"' % port if port else "", data, so, ro))
            if rows:
                rows.write("M%d\t%.3f\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n"
                           % (i, ts, s + 1, d + 1, frame_origin[s] + 1, frame_origin[d] + 1,
                              target.strip('"') if target != "null" else "",
                              via, port or "", data))
    out.close()
    if rows:
        rows.close()


def gen_bundle(args):
    r = random.Random(args.seed)
    shapes = Shapes(r, 50)
    text = bundle_text(r, shapes, shapes.pool(400), int(args.mb * (1 << 20)))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["har", "trace", "bundle"])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--entries", type=int, default=50000)
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--messages", type=int, default=1000000)
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--origins", type=int, default=50)
    ap.add_argument("--rows")
    args = ap.parse_args()
    {"har": gen_har, "trace": gen_trace, "bundle": gen_bundle}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())
