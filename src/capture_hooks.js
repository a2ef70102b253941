/*
 * capture_hooks.js - installed by `pmscope capture` in every document of
 * every frame before the page's own scripts run
 * (Page.addScriptToEvaluateOnNewDocument).  It reports postMessage traffic
 * through the CDP binding __pmscope_emit as small JSON records; pmscope
 * matches sends with deliveries and writes the trace (src/capture.c).
 *
 * Records ("k"):
 *   send     a postMessage call seen at the sender: via window|port|broadcast, the
 *            targetOrigin as passed, data, transferred port ids, how
 *            the sender reached the target window (rel), and the seq of
 *            the window message being handled when the call was made
 *            (cause): same task or its microtasks, so a reply from a
 *            handler, also one sent in a promise callback
 *   deliver  a message event seen by the receiver before any page listener:
 *            event.origin, data, how event.source relates to this window
 *            (src), and the ids this realm gave to event.ports
 *   listen   a message listener was installed (source text, call site)
 *   channel  a MessageChannel's two ports got ids a and b
 *
 * Why the sender side is hooked the way it is: calling postMessage on a
 * cross-origin window uses a function the browser builds for the caller
 * from the original operation, so patching Window.prototype cannot see it.
 * Cross-origin WindowProxy objects the page obtains (parent, opener,
 * iframe.contentWindow, event.source, window.open()) are therefore handed
 * out wrapped in a Proxy whose postMessage records the call and forwards it
 * to the real window; the wrapper runs in the sender's realm, so the
 * receiver still sees the right event.origin and event.source.
 * Not wrapped, and so seen at the receiver only (sender from event.source,
 * targetOrigin unknown): same-origin windows and the window itself
 * (patching their postMessage would make the patch's realm the caller, and
 * event.source would name the wrong window), `top` (unforgeable in
 * Chromium), window.frames[i] and window[i].
 *
 * Wrapping has a price the analyst should know: a wrapped window is not
 * === the same window reached another way (window.top, frames[i]), so page
 * code comparing event.source with window.top can take another branch.
 * `pmscope capture --no-wrap` turns wrapping off.
 *
 * This file is one function expression; capture.c appends the call with
 * the options ({"wrap": true|false}) and the sourceURL comment.
 *
 * Every value comes from the page and may be hostile: nothing here trusts
 * it, and nothing here may throw into page code.
 */
(function (opts) {
    'use strict';
    var emitBinding = self.__pmscope_emit;
    if (typeof emitBinding !== 'function' || self.__pmscope_hooked)
        return;
    try {
        Object.defineProperty(self, '__pmscope_hooked', {value: true});
    } catch (e) { /* frozen global: hooks still work */ }
    /* the page must not be able to forge records: only we keep the binding */
    try {
        delete self.__pmscope_emit;
    } catch (e) { /* ignore */ }

    var FnCall = Function.prototype.call;
    var bindCall = FnCall.bind.bind(FnCall);
    var fnToString = bindCall(Function.prototype.toString);
    var jsonStringify = JSON.stringify;
    var perf = self.performance;
    var perfNow = bindCall(perf.now);
    var timeOrigin = perf.timeOrigin;
    var isArray = Array.isArray;
    var objectKeys = Object.keys;
    var getOwnDesc = Object.getOwnPropertyDescriptor;
    var defineProp = Object.defineProperty;
    var ProxyCtor = Proxy;
    var reflectConstruct = Reflect.construct;
    var WeakMapCtor = WeakMap;
    var WeakSetCtor = WeakSet;
    var wmGet = bindCall(WeakMap.prototype.get);
    var wmSet = bindCall(WeakMap.prototype.set);
    var wsHas = bindCall(WeakSet.prototype.has);
    var wsAdd = bindCall(WeakSet.prototype.add);
    var strSlice = bindCall(String.prototype.slice);
    var strSplit = bindCall(String.prototype.split);
    var strIndexOf = bindCall(String.prototype.indexOf);
    var reExec = bindCall(RegExp.prototype.exec);
    var addListener = bindCall(EventTarget.prototype.addEventListener);
    var setTimer = self.setTimeout;
    var ErrorCtor = Error;
    var MAX_JSON = 262144;        /* characters of serialized data kept */
    var MAX_NODES = 100000;       /* values visited per serialization */
    var MAX_SOURCE = 65536;       /* characters of handler source kept */

    function now() {
        return timeOrigin + perfNow(perf);
    }

    function emit(rec) {
        try {
            rec.o = self.origin;
            emitBinding(jsonStringify(rec));
        } catch (e) { /* never disturb the page */ }
    }

    function tagOf(x) {
        try {
            return Object.prototype.toString.call(x);
        } catch (e) {
            return '[object Unknown]';
        }
    }

    /*
     * Turn a structured-clone value into something JSON can hold.  Cycles,
     * functions, DOM nodes and binary data become "[unserializable: ...]" /
     * "[binary: ...]" strings in place; the result is JSON text, cut at
     * MAX_JSON characters with a marker in front (see docs/trace-format.md).
     */
    function serialize(value) {
        var stack = [];
        var visited = 0;
        function walk(x, depth) {
            var t = typeof x;
            if (x === null || t === 'string' || t === 'boolean')
                return x;
            if (t === 'number')
                return isFinite(x) ? x : '[unserializable: ' + x + ']';
            if (t === 'undefined')
                return '[unserializable: undefined]';
            if (t === 'bigint')
                return '[unserializable: bigint ' + x + ']';
            if (t === 'symbol')
                return '[unserializable: symbol]';
            if (t === 'function')
                return '[unserializable: function]';
            if (++visited > MAX_NODES)
                return '[truncated: too many values]';
            for (var i = 0; i < stack.length; i++)
                if (stack[i] === x)
                    return '[unserializable: cyclic object]';
            if (depth > 200)
                return '[unserializable: nested deeper than 200]';
            var tag = tagOf(x);
            if (tag === '[object ArrayBuffer]')
                return '[binary: ArrayBuffer ' + x.byteLength + ' bytes]';
            if (ArrayBuffer.isView(x))
                return '[binary: ' + strSlice(tag, 8, -1) + ' ' +
                    x.byteLength + ' bytes]';
            if (tag === '[object Blob]' || tag === '[object File]')
                return '[binary: ' + strSlice(tag, 8, -1) + ' ' + x.size +
                    ' bytes]';
            if (tag === '[object Date]')
                return '[date: ' + x.getTime() + ']';
            if (tag === '[object MessagePort]')
                return '[MessagePort]';
            if (typeof Node === 'function' && x instanceof Node)
                return '[unserializable: DOM node ' + x.nodeName + ']';
            if (tag === '[object Window]')
                return '[unserializable: Window]';
            stack.push(x);
            var out;
            try {
                if (isArray(x)) {
                    out = [];
                    for (var j = 0; j < x.length; j++)
                        out.push(walk(x[j], depth + 1));
                } else if (tag === '[object Map]') {
                    out = {'[Map]': []};
                    x.forEach(function (v, k) {
                        out['[Map]'].push([walk(k, depth + 1),
                            walk(v, depth + 1)]);
                    });
                } else if (tag === '[object Set]') {
                    out = {'[Set]': []};
                    x.forEach(function (v) {
                        out['[Set]'].push(walk(v, depth + 1));
                    });
                } else {
                    out = {};
                    var keys = objectKeys(x);
                    for (var k = 0; k < keys.length; k++)
                        out[keys[k]] = walk(x[keys[k]], depth + 1);
                }
            } catch (e) {
                out = '[unserializable: ' + tag + ']';
            }
            stack.pop();
            return out;
        }
        var text;
        try {
            text = jsonStringify(walk(value, 0));
        } catch (e) {
            text = jsonStringify('[unserializable: ' + tagOf(value) + ']');
        }
        if (text === undefined)
            text = 'null';
        if (text.length > MAX_JSON)
            return {d: jsonStringify('[truncated: ' + text.length +
                ' characters of JSON, first ' + MAX_JSON + ' kept] ' +
                strSlice(text, 0, MAX_JSON)), size: text.length, truncated: true};
        return {d: text, size: text.length};
    }

    /* First stack frame outside this file: {u, l, c, s}. */
    function callSite() {
        var st = '';
        try {
            st = (new ErrorCtor()).stack || '';
        } catch (e) { /* ignore */ }
        var lines = strSplit(st, '\n');
        var kept = [];
        var site = null;
        for (var i = 1; i < lines.length; i++) {
            var l = lines[i];
            if (strIndexOf(l, 'pmscope-hooks.js') !== -1)
                continue;
            if (kept.length < 12)
                kept.push(strSlice(l, 0, 400));
            if (!site) {
                var m = reExec(/(?:\(|at )([^()\s]+):(\d+):(\d+)\)?\s*$/, l);
                if (m)
                    site = {u: m[1], l: +m[2], c: +m[3]};
            }
        }
        site = site || {};
        site.s = kept.join('\n');
        return site;
    }

    /* ---- MessagePort ids ---- */
    var portIds = new WeakMapCtor();
    var portSeq = 0;
    var watchedPorts = new WeakSetCtor();
    var seenEvents = new WeakSetCtor();

    function portId(p) {
        var id = wmGet(portIds, p);
        if (!id) {
            id = 'p' + (++portSeq);
            wmSet(portIds, p, id);
        }
        return id;
    }

    /* A listener of ours on every port we see records its deliveries. */
    function watchPort(p) {
        if (wsHas(watchedPorts, p))
            return;
        wsAdd(watchedPorts, p);
        try {
            addListener(p, 'message', function (ev) {
                if (wsHas(seenEvents, ev))
                    return;
                wsAdd(seenEvents, ev);
                var s = serialize(ev.data);
                emit({k: 'deliver', via: 'port', port: portId(p), ts: now(),
                      data: s.d, size: s.size, trunc: s.truncated || false,
                      ports: portList(ev.ports)});
            });
        } catch (e) { /* ignore */ }
    }

    function portList(list) {
        var out = [];
        try {
            if (!list)
                return out;
            for (var i = 0; i < list.length; i++) {
                if (tagOf(list[i]) === '[object MessagePort]') {
                    watchPort(list[i]);
                    out.push(portId(list[i]));
                }
            }
        } catch (e) { /* ignore */ }
        return out;
    }

    if (typeof MessageChannel === 'function') {
        var channelsSeen = new WeakSetCtor();
        var p1 = getOwnDesc(MessageChannel.prototype, 'port1');
        var p2 = getOwnDesc(MessageChannel.prototype, 'port2');
        if (p1 && p1.get && p2 && p2.get) {
            var get1 = bindCall(p1.get), get2 = bindCall(p2.get);
            var noteChannel = function (ch) {
                if (wsHas(channelsSeen, ch))
                    return;
                wsAdd(channelsSeen, ch);
                var a = get1(ch), b = get2(ch);
                watchPort(a);
                watchPort(b);
                emit({k: 'channel', a: portId(a), b: portId(b), ts: now()});
            };
            defineProp(MessageChannel.prototype, 'port1', {
                configurable: true, enumerable: p1.enumerable,
                get: function port1() { noteChannel(this); return get1(this); }
            });
            defineProp(MessageChannel.prototype, 'port2', {
                configurable: true, enumerable: p2.enumerable,
                get: function port2() { noteChannel(this); return get2(this); }
            });
        }
    }

    /* Split postMessage(data, targetOrigin, transfer) / (data, options). */
    function sendArgs(args) {
        var to = '/', transfer = null;
        if (args.length > 1 && args[1] !== null && typeof args[1] === 'object' &&
                !isArray(args[1])) {
            try {
                if (args[1].targetOrigin !== undefined)
                    to = '' + args[1].targetOrigin;
                transfer = args[1].transfer;
            } catch (e) { /* ignore */ }
        } else if (args.length > 1) {
            try {
                to = '' + args[1];
            } catch (e) { to = '[unprintable]'; }
            transfer = args[2];
        }
        return {to: to, ports: portList(transfer)};
    }

    if (typeof MessagePort === 'function') {
        var portPost = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = function postMessage(data) {
            var ts = now();
            var s = serialize(data);
            var ports = [];
            try {
                watchPort(this);
                if (arguments.length > 1)
                    ports = portList(isArray(arguments[1]) ? arguments[1] :
                        (arguments[1] && arguments[1].transfer));
            } catch (e) { /* ignore */ }
            var r = portPost.apply(this, arguments);
            var site = callSite();
            emit({k: 'send', via: 'port', port: portId(this), ts: ts,
                  data: s.d, size: s.size, trunc: s.truncated || false,
                  ports: ports, u: site.u, l: site.l, c: site.c, s: site.s});
            return r;
        };
        var portOnmessage = getOwnDesc(MessagePort.prototype, 'onmessage');
        if (portOnmessage && portOnmessage.set) {
            var portSet = bindCall(portOnmessage.set);
            defineProp(MessagePort.prototype, 'onmessage', {
                configurable: true, enumerable: portOnmessage.enumerable,
                get: portOnmessage.get,
                set: function onmessage(fn) {
                    watchPort(this);
                    noteListener(fn, 'port', 'onmessage', false);
                    return portSet(this, fn);
                }
            });
        }
    }

    /* ---- BroadcastChannel: sends, and deliveries to every instance ---- */
    if (typeof BroadcastChannel === 'function') {
        var BC = BroadcastChannel;
        var bcPost = BC.prototype.postMessage;
        var bcNameDesc = getOwnDesc(BC.prototype, 'name');
        var bcName = bcNameDesc && bcNameDesc.get ? bindCall(bcNameDesc.get) :
            function () { return ''; };
        var watchedChannels = new WeakSetCtor();
        var watchBroadcast = function (bc) {
            if (wsHas(watchedChannels, bc))
                return;
            wsAdd(watchedChannels, bc);
            try {
                addListener(bc, 'message', function (ev) {
                    if (wsHas(seenEvents, ev))
                        return;
                    wsAdd(seenEvents, ev);
                    var s = serialize(ev.data);
                    emit({k: 'deliver', via: 'broadcast', port: '' + bcName(bc),
                          ts: now(), origin: '' + ev.origin, data: s.d,
                          size: s.size, trunc: s.truncated || false, ports: []});
                });
            } catch (e) { /* ignore */ }
        };
        /* every instance gets our listener when it is created */
        self.BroadcastChannel = new ProxyCtor(BC, {
            construct: function (t, args, nt) {
                var bc = reflectConstruct(t, args, nt);
                watchBroadcast(bc);
                return bc;
            }
        });
        BC.prototype.postMessage = function postMessage(data) {
            var ts = now();
            var s = serialize(data);
            watchBroadcast(this);
            var r = bcPost.apply(this, arguments);
            var site = callSite();
            emit({k: 'send', via: 'broadcast', port: '' + bcName(this), ts: ts,
                  data: s.d, size: s.size, trunc: s.truncated || false,
                  ports: [], u: site.u, l: site.l, c: site.c, s: site.s});
            return r;
        };
        var bcOnmessage = getOwnDesc(BC.prototype, 'onmessage');
        if (bcOnmessage && bcOnmessage.set) {
            var bcSet = bindCall(bcOnmessage.set);
            defineProp(BC.prototype, 'onmessage', {
                configurable: true, enumerable: bcOnmessage.enumerable,
                get: bcOnmessage.get,
                set: function onmessage(fn) {
                    noteListener(fn, 'broadcast', 'onmessage', false);
                    return bcSet(this, fn);
                }
            });
        }
    }

    /* ---- listeners ---- */
    function noteListener(fn, target, api, capture) {
        if (typeof fn !== 'function' &&
                !(fn && typeof fn === 'object' && typeof fn.handleEvent === 'function'))
            return;
        var src = '';
        try {
            src = fnToString(typeof fn === 'function' ? fn : fn.handleEvent);
        } catch (e) {
            src = '[source unavailable]';
        }
        if (src.length > MAX_SOURCE)
            src = strSlice(src, 0, MAX_SOURCE) + '\n/* [truncated] */';
        var site = callSite();
        emit({k: 'listen', target: target, api: api, capture: !!capture,
              src: src, ts: now(), u: site.u, l: site.l, c: site.c});
    }

    var origAdd = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function addEventListener(type, fn, opts) {
        try {
            if (type === 'message') {
                var tag = tagOf(this);
                var target = tag === '[object Window]' ? 'window' :
                    tag === '[object MessagePort]' ? 'port' :
                    tag === '[object BroadcastChannel]' ? 'broadcast' :
                    tag === '[object Worker]' ? 'worker' : null;
                if (target === 'port')
                    watchPort(this);
                if (target)
                    noteListener(fn, target, 'addEventListener',
                        opts === true || (opts && opts.capture));
            }
        } catch (e) { /* ignore */ }
        return origAdd.apply(this, arguments);
    };

    var winOnmessage = getOwnDesc(self, 'onmessage') ||
        getOwnDesc(Object.getPrototypeOf(self), 'onmessage');
    if (winOnmessage && winOnmessage.set && winOnmessage.configurable) {
        var winSet = bindCall(winOnmessage.set);
        defineProp(self, 'onmessage', {
            configurable: true, enumerable: winOnmessage.enumerable,
            get: winOnmessage.get,
            set: function onmessage(fn) {
                noteListener(fn, 'window', 'onmessage', false);
                return winSet(this, fn);
            }
        });
    }

    /* ---- window deliveries: first capturing listener on the window ---- */
    var srcDesc = getOwnDesc(MessageEvent.prototype, 'source');
    var eventSource = bindCall(srcDesc.get);
    var parentGet = bindCall(getOwnDesc(self, 'parent').get);
    var topGet = bindCall(getOwnDesc(self, 'top').get);
    var openerDesc = getOwnDesc(self, 'opener');
    var openerGet = openerDesc && openerDesc.get ? bindCall(openerDesc.get) : null;

    /* How window w relates to this window: self, parent, top, opener, frames[i]. */
    function relationOf(w) {
        if (!w)
            return null;
        if (w === self)
            return 'self';
        try {
            if (w === parentGet(self))
                return 'parent';
            if (w === topGet(self))
                return 'top';
            if (openerGet && w === openerGet(self))
                return 'opener';
            for (var i = 0; i < self.length && i < 1000; i++)
                if (self[i] === w)
                    return 'frames[' + i + ']';
            for (var j = 0; j < popups.length; j++)
                if (popups[j].w === w)
                    return popups[j].rel;
        } catch (e) { /* ignore */ }
        if (tagOf(w) === '[object MessagePort]')
            return 'port';
        return 'other';
    }

    var popups = [];                         /* {w, rel} from window.open */
    var sourceDeliver = new WeakMapCtor();   /* event -> delivery seq */
    var deliverSeq = 0;
    /* The window message whose task is running (see "cause" at the top):
     * set before any page listener sees it, cleared by the next task. */
    var handling = 0;
    var clearing = false;
    function endHandling() {
        handling = 0;
        clearing = false;
    }
    addListener(self, 'message', function (ev) {
        if (wsHas(seenEvents, ev) || !ev.isTrusted)
            return;
        wsAdd(seenEvents, ev);
        var s = serialize(ev.data);
        var seq = ++deliverSeq;
        wmSet(sourceDeliver, ev, seq);
        handling = seq;
        if (!clearing) {
            clearing = true;
            try { setTimer(endHandling, 0); } catch (e) { clearing = false; }
        }
        emit({k: 'deliver', via: 'window', seq: seq, ts: now(),
              origin: '' + ev.origin, src: relationOf(eventSource(ev)),
              data: s.d, size: s.size, trunc: s.truncated || false,
              ports: portList(ev.ports)});
    }, true);

    /* ---- senders: wrapped cross-origin windows ---- */
    var winPost = self.postMessage;
    /* A postMessage through a wrapped cross-origin window (see the top). */
    function recordWindowSend(real, args, rel) {
        var ts = now();
        var s = serialize(args[0]);
        var a = sendArgs(args);
        var rec = {k: 'send', via: 'window', rel: rel, to: a.to, ts: ts,
                   data: s.d, size: s.size, trunc: s.truncated || false,
                   ports: a.ports};
        var r;
        try {
            r = winPost.apply(real, args);
        } catch (e) {
            /* e.g. DataCloneError: the call is evidence, but sends nothing */
            try { rec.error = '' + e.name + ': ' + e.message; } catch (e2) { rec.error = 'error'; }
            finishSend(rec);
            throw e;
        }
        finishSend(rec);
        return r;
    }

    function finishSend(rec) {
        if (handling)
            rec.cause = handling;
        var site = callSite();
        rec.u = site.u;
        rec.l = site.l;
        rec.c = site.c;
        rec.s = site.s;
        emit(rec);
    }
    /* A WindowProxy (same- or cross-origin), not a port or worker. */
    function isWindow(w) {
        try {
            return w.window === w;
        } catch (e) {
            return false;
        }
    }

    function isCrossOrigin(w) {
        try {
            void w.location.href;
            return false;
        } catch (e) {
            return true;
        }
    }

    var wrappers = new WeakMapCtor();   /* real window -> proxy */
    var relOfProxy = new WeakMapCtor(); /* proxy -> relation text */
    var proxies = new WeakSetCtor();

    /*
     * Wrap a cross-origin window so that its postMessage is recorded.  The
     * same proxy is returned for the same window, so identity comparisons
     * between wrapped references keep working.
     */
    function wrapWindow(w, rel, always) {
        if (!w || typeof w !== 'object' || w === self || wsHas(proxies, w) ||
                !isWindow(w))
            return w;
        var p = wmGet(wrappers, w);
        if (p)
            return p;
        if (!always && !isCrossOrigin(w))
            return w;
        var bound = {}, boundFrom = {};
        p = new ProxyCtor(w, {
            get: function (t, prop) {
                if (prop === 'postMessage') {
                    if (!bound.postMessage)
                        bound.postMessage = function postMessage() {
                            /* same-origin now (a new popup): not recorded */
                            if (!isCrossOrigin(t))
                                return t.postMessage.apply(t, arguments);
                            return recordWindowSend(t, arguments,
                                wmGet(relOfProxy, p) || 'other');
                        };
                    return bound.postMessage;
                }
                var v = t[prop];
                if (typeof v === 'function') {
                    if (boundFrom[prop] !== v) {
                        boundFrom[prop] = v;
                        bound[prop] = function () { return v.apply(t, arguments); };
                    }
                    return bound[prop];
                }
                if (v && typeof v === 'object' && tagOf(v) === '[object Window]')
                    return wrapWindow(v, 'other');
                return v;
            },
            set: function (t, prop, v) {
                t[prop] = v;
                return true;
            }
        });
        wmSet(wrappers, w, p);
        wmSet(relOfProxy, p, rel);
        wsAdd(proxies, p);
        return p;
    }

    function wrapGetter(obj, prop, rel) {
        var d = getOwnDesc(obj, prop);
        if (!d || !d.get || !d.configurable)
            return;
        var g = bindCall(d.get);
        defineProp(obj, prop, {
            configurable: true, enumerable: d.enumerable, set: d.set,
            get: {get: function () {
                return wrapWindow(g(this), typeof rel === 'function' ? rel(this) : rel);
            }}.get
        });
    }
    /* popups this window opened, so that relationOf can name them */
    var origOpen = self.open;
    if (typeof origOpen === 'function') {
        self.open = function open(url) {
            var w = origOpen.apply(this, arguments);
            var rel = 'popup:' + (url === undefined ? '' : '' + url);
            if (w && popups.length < 1000)
                popups.push({w: w, rel: rel});
            if (!opts || !opts.wrap)
                return w;
            /* a new popup is about:blank (same-origin) at first: wrap anyway */
            return wrapWindow(w, rel, true);
        };
    }
    if (!opts || !opts.wrap)
        return;   /* --no-wrap: pages keep their own window objects */
    wrapGetter(self, 'parent', 'parent');
    wrapGetter(self, 'top', 'top');   /* unforgeable in Chromium: no-op */
    wrapGetter(self, 'opener', 'opener');
    if (typeof HTMLIFrameElement === 'function')
        wrapGetter(HTMLIFrameElement.prototype, 'contentWindow', function (el) {
            var src = '';
            try { src = el.src; } catch (e) { /* ignore */ }
            return 'iframe:' + src;
        });
    if (typeof HTMLFrameElement === 'function')
        wrapGetter(HTMLFrameElement.prototype, 'contentWindow', 'frame');
    wrapGetter(MessageEvent.prototype, 'source', function (ev) {
        return 'source:' + (wmGet(sourceDeliver, ev) || 0);
    });
})
