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
 * Window sends are not hooked here: pmscope puts DevTools function-entry
 * breakpoints on the native postMessage functions (the realm's own and the
 * per-realm cross-origin one) whose condition calls report() below and
 * returns false, so the page never pauses and none of its window objects
 * is replaced (src/capture_bp.c).  report() writes a token-prefixed record
 * with console.debug captured here, so the protocol event carries the
 * caller's stack with script ids; pmscope takes the sender frame from them.
 * The "win" record: data, targetOrigin as passed (string or options form),
 * transferred port ids, how the caller reached the target (rel), cause.
 *
 * This file is one function expression; capture.c puts `let NAME;` in
 * front (the reporter's binding: reachable by name from the breakpoint
 * conditions, but not a property of the window the page could list) and
 * appends the call with the options ({"name", "token", "pause", "publish":
 * a function that sets NAME}) and the sourceURL comment.
 * At document start it mints this realm's cross-origin postMessage
 * function (a throwaway sandboxed about:blank iframe named name + "-mint",
 * which pmscope leaves out of the trace), so that the breakpoint covers it
 * before any page script runs, probes whether this renderer has the
 * breakpoints already (a call of the no-op window.captureEvents, whose
 * breakpoint condition reports "probe"), and if not, pauses on `debugger;`
 * while pmscope sets them ("pause").  Then it calls the binding
 * name + "_ready", which lets pmscope set them where the pause was dropped.
 *
 * Every value comes from the page and may be hostile: nothing here trusts
 * it, and nothing here may throw into page code.
 */
(function (opts) {
    'use strict';
    var emitBinding = self.__pmscope_emit;
    var readyBinding = self[opts.name + '_ready'];
    /* the page must not be able to forge records: only we keep the bindings */
    try {
        delete self.__pmscope_emit;
        delete self[opts.name + '_ready'];
    } catch (e) { /* ignore */ }
    if (typeof emitBinding !== 'function')
        return;
    var isWin = typeof Window === 'function' && self instanceof Window;
    try {
        if (isWin && self.name === opts.name + '-mint')
            return;   /* a realm made only to mint functions (below) */
    } catch (e) { /* ignore */ }
    var TOKEN = opts.token;

    /*
     * Builtins are taken now, before any page script, and called only
     * through these bound forms and reflectApply: a call made at run time
     * through f.apply / f.call / arr.push would look the method up on a
     * prototype the page may have replaced, handing it our functions (the
     * native addEventListener among them) or our records.
     */
    var FnCall = Function.prototype.call;
    var bindCall = FnCall.bind.bind(FnCall);
    var reflectApply = Reflect.apply;
    var origFnToString = Function.prototype.toString;
    var fnToString = bindCall(origFnToString);
    var objToString = bindCall(Object.prototype.toString);
    var mapForEach = bindCall(Map.prototype.forEach);
    var setForEach = bindCall(Set.prototype.forEach);
    var jsonStringify = JSON.stringify;
    var perf = self.performance;
    var perfNow = bindCall(perf.now);
    var timeOrigin = perf.timeOrigin;
    var isArray = Array.isArray;
    var objectKeys = Object.keys;
    var getOwnDesc = Object.getOwnPropertyDescriptor;
    var defineProp = Object.defineProperty;
    /*
     * Our replacements of page-visible functions look like the natives they
     * stand for: made as methods (no prototype, not constructors), with
     * the native's name and length, and Function.prototype.toString
     * (itself replaced the same way, below) answers with the native's text.
     */
    var disguised = new WeakMap();
    var wmGetEarly = bindCall(WeakMap.prototype.get);
    var wmSetEarly = bindCall(WeakMap.prototype.set);
    function disguise(wrapper, native) {
        wmSetEarly(disguised, wrapper, native);
        try {
            defineProp(wrapper, 'length', {value: native.length, configurable: true});
            defineProp(wrapper, 'name', {value: native.name, configurable: true});
        } catch (e) { /* ignore */ }
        return wrapper;
    }
    /* arr.push without Array.prototype (and without its index setters) */
    function append(arr, x) {
        defineProp(arr, arr.length, {value: x, writable: true,
                                     enumerable: true, configurable: true});
    }
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
    var consoleObj = self.console;
    var consoleDebug = bindCall(consoleObj.debug);
    var evOriginGet = bindCall(getOwnDesc(MessageEvent.prototype, 'origin').get);
    var evDataGet = bindCall(getOwnDesc(MessageEvent.prototype, 'data').get);
    var evPortsGet = bindCall(getOwnDesc(MessageEvent.prototype, 'ports').get);
    var evTrustedGet = function (ev) {
        try { return ev.isTrusted; } catch (e) { return false; }
    };
    var MAX_JSON = 262144;        /* characters of serialized data kept */
    var MAX_NODES = 100000;       /* values visited per serialization */
    var MAX_SOURCE = 65536;       /* characters of handler source kept */

    function now() {
        return timeOrigin + perfNow(perf);
    }

    /* rec.o is only a hint: pmscope uses the context's security origin */
    function emit(rec) {
        try {
            emitBinding(jsonStringify(rec));
        } catch (e) { /* never disturb the page */ }
    }

    function tagOf(x) {
        try {
            return objToString(x);
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
            append(stack, x);
            var out;
            try {
                if (isArray(x)) {
                    out = [];
                    for (var j = 0; j < x.length; j++)
                        append(out, walk(x[j], depth + 1));
                } else if (tag === '[object Map]') {
                    out = {'[Map]': []};
                    mapForEach(x, function (v, k) {
                        append(out['[Map]'], [walk(k, depth + 1),
                            walk(v, depth + 1)]);
                    });
                } else if (tag === '[object Set]') {
                    out = {'[Set]': []};
                    setForEach(x, function (v) {
                        append(out['[Set]'], walk(v, depth + 1));
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
            stack.length = stack.length - 1;
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
                append(kept, strSlice(l, 0, 400));
            if (!site) {
                var m = reExec(/(?:\(|at )([^()\s]+):(\d+):(\d+)\)?\s*$/, l);
                if (m)
                    site = {u: m[1], l: +m[2], c: +m[3]};
            }
        }
        site = site || {};
        var joined = '';
        for (var k = 0; k < kept.length; k++)
            joined += (k ? '\n' : '') + kept[k];
        site.s = joined;
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
                var s = serialize(evDataGet(ev));
                emit({k: 'deliver', via: 'port', port: portId(p), ts: now(),
                      data: s.d, size: s.size, trunc: s.truncated || false,
                      ports: portList(evPortsGet(ev))});
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
                    append(out, portId(list[i]));
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
                get: disguise(getOwnDesc({
                    get port1() { noteChannel(this); return get1(this); }
                }, 'port1').get, p1.get)
            });
            defineProp(MessageChannel.prototype, 'port2', {
                configurable: true, enumerable: p2.enumerable,
                get: disguise(getOwnDesc({
                    get port2() { noteChannel(this); return get2(this); }
                }, 'port2').get, p2.get)
            });
        }
    }

    /* Split postMessage(data, targetOrigin, transfer) / (data, options). */
    function sendArgs(args) {
        var to = '/', transfer = null, form = null;
        if (args.length > 1 && args[1] !== null && typeof args[1] === 'object' &&
                !isArray(args[1])) {
            form = 'options';
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
        return {to: to, ports: portList(transfer), form: form};
    }

    if (typeof MessagePort === 'function') {
        var portPost = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = disguise({postMessage(data) {
            var ts = now();
            var s = serialize(data);
            var ports = [];
            try {
                watchPort(this);
                if (arguments.length > 1)
                    ports = portList(isArray(arguments[1]) ? arguments[1] :
                        (arguments[1] && arguments[1].transfer));
            } catch (e) { /* ignore */ }
            var r = reflectApply(portPost, this, arguments);
            var site = callSite();
            emit({k: 'send', via: 'port', port: portId(this), ts: ts,
                  data: s.d, size: s.size, trunc: s.truncated || false,
                  ports: ports, u: site.u, l: site.l, c: site.c, s: site.s});
            return r;
        }}.postMessage, portPost);
        var portOnmessage = getOwnDesc(MessagePort.prototype, 'onmessage');
        if (portOnmessage && portOnmessage.set) {
            var portSet = bindCall(portOnmessage.set);
            defineProp(MessagePort.prototype, 'onmessage', {
                configurable: true, enumerable: portOnmessage.enumerable,
                get: portOnmessage.get,
                set: disguise(getOwnDesc({
                    set onmessage(fn) {
                        watchPort(this);
                        noteListener(fn, 'port', 'onmessage', false);
                        portSet(this, fn);
                    }
                }, 'onmessage').set, portOnmessage.set)
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
                    var s = serialize(evDataGet(ev));
                    emit({k: 'deliver', via: 'broadcast', port: '' + bcName(bc),
                          ts: now(), origin: '' + evOriginGet(ev), data: s.d,
                          size: s.size, trunc: s.truncated || false, ports: []});
                });
            } catch (e) { /* ignore */ }
        };
        /* every instance gets our listener when it is created */
        var bcProxy = new ProxyCtor(BC, {
            construct: function (t, args, nt) {
                var bc = reflectConstruct(t, args, nt);
                watchBroadcast(bc);
                return bc;
            }
        });
        self.BroadcastChannel = bcProxy;
        /* instances still name the global as their constructor */
        defineProp(BC.prototype, 'constructor', {value: bcProxy, writable: true,
                                                 enumerable: false, configurable: true});
        wmSetEarly(disguised, bcProxy, BC);
        BC.prototype.postMessage = disguise({postMessage(data) {
            var ts = now();
            var s = serialize(data);
            watchBroadcast(this);
            var r = reflectApply(bcPost, this, arguments);
            var site = callSite();
            emit({k: 'send', via: 'broadcast', port: '' + bcName(this), ts: ts,
                  data: s.d, size: s.size, trunc: s.truncated || false,
                  ports: [], u: site.u, l: site.l, c: site.c, s: site.s});
            return r;
        }}.postMessage, bcPost);
        var bcOnmessage = getOwnDesc(BC.prototype, 'onmessage');
        if (bcOnmessage && bcOnmessage.set) {
            var bcSet = bindCall(bcOnmessage.set);
            defineProp(BC.prototype, 'onmessage', {
                configurable: true, enumerable: bcOnmessage.enumerable,
                get: bcOnmessage.get,
                set: disguise(getOwnDesc({
                    set onmessage(fn) {
                        noteListener(fn, 'broadcast', 'onmessage', false);
                        bcSet(this, fn);
                    }
                }, 'onmessage').set, bcOnmessage.set)
            });
        }
    }

    /* ---- listeners ---- */
    function noteListener(fn, target, api, capture, rel) {
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
        var rec = {k: 'listen', target: target, api: api, capture: !!capture,
                   src: src, ts: now(), u: site.u, l: site.l, c: site.c};
        if (rel)
            rec.rel = rel;
        emit(rec);
    }

    var origAdd = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = disguise({
        addEventListener(type, fn, opts) {
            try {
                if (type === 'message') {
                    var tag = tagOf(this);
                    var target = tag === '[object Window]' ? 'window' :
                        tag === '[object MessagePort]' ? 'port' :
                        tag === '[object BroadcastChannel]' ? 'broadcast' :
                        tag === '[object Worker]' ? 'worker' : null;
                    if (target === 'port')
                        watchPort(this);
                    /* another window reached through this realm's function
                     * (an about:blank frame's addEventListener called on
                     * top): the listener is that window's */
                    if (target)
                        noteListener(fn, target, 'addEventListener',
                            opts === true || (opts && opts.capture),
                            target === 'window' && this !== self ?
                                relationOf(this) : null);
                }
            } catch (e) { /* ignore */ }
            return reflectApply(origAdd, this, arguments);
        }
    }.addEventListener, origAdd);

    var winOnmessage = getOwnDesc(self, 'onmessage') ||
        getOwnDesc(Object.getPrototypeOf(self), 'onmessage');
    if (winOnmessage && winOnmessage.set && winOnmessage.configurable) {
        var winSet = bindCall(winOnmessage.set);
        defineProp(self, 'onmessage', {
            configurable: true, enumerable: winOnmessage.enumerable,
            get: winOnmessage.get,
            set: disguise(getOwnDesc({
                set onmessage(fn) {
                    noteListener(fn, 'window', 'onmessage', false,
                        this !== self ? relationOf(this) : null);
                    winSet(this, fn);
                }
            }, 'onmessage').set, winOnmessage.set)
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
            var par = parentGet(self);
            for (var k = 0; par !== self && k < par.length && k < 1000; k++)
                if (par[k] === w)
                    return 'parent.frames[' + k + ']';
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
        if (wsHas(seenEvents, ev) || !evTrustedGet(ev))
            return;
        wsAdd(seenEvents, ev);
        var s = serialize(evDataGet(ev));
        var seq = ++deliverSeq;
        wmSet(sourceDeliver, ev, seq);
        handling = seq;
        if (!clearing) {
            clearing = true;
            try { setTimer(endHandling, 0); } catch (e) { clearing = false; }
        }
        emit({k: 'deliver', via: 'window', seq: seq, ts: now(),
              origin: '' + evOriginGet(ev), src: relationOf(eventSource(ev)),
              data: s.d, size: s.size, trunc: s.truncated || false,
              ports: portList(evPortsGet(ev))});
    }, true);

    /* popups this window opened, so that relationOf can name them */
    var origOpen = self.open;
    if (typeof origOpen === 'function') {
        self.open = disguise({open(url) {
            var w = reflectApply(origOpen, this, arguments);
            var rel = 'popup:' + (url === undefined ? '' : '' + url);
            if (w && popups.length < 1000)
                append(popups, {w: w, rel: rel});
            return w;
        }}.open, origOpen);
    }

    /* Function.prototype.toString answers for a disguised function with its
     * native's text, and for itself with the original's. */
    var maskedToString = disguise({toString() {
        var native = wmGetEarly(disguised, this);
        return reflectApply(origFnToString, native === undefined ? this : native,
                            arguments);
    }}.toString, origFnToString);
    defineProp(Function.prototype, 'toString', {value: maskedToString,
                                                writable: true, enumerable: false,
                                                configurable: true});

    /* ---- senders: the breakpoint conditions' reporter ---- */
    var armed = false;
    /*
     * Called by the breakpoint condition as NAME(kind, token, this,
     * arguments, key) (key: the session that set the breakpoint) when a
     * native postMessage is called: kind "own" (a realm's
     * own window.postMessage: this realm is the target, the caller may be
     * another same-origin frame), "xo" (this realm's cross-origin
     * postMessage: this realm is the caller), "probe" (see the top).
     * Never throws, always returns false: the page never pauses.
     */
    function report(kind, token, target, args, key) {
        if (token !== TOKEN)
            return false;
        try {
            if (kind === 'probe') {
                armed = true;
                return false;
            }
            var ts = now();
            var s = serialize(args[0]);
            var a = sendArgs(args);
            var rec = {k: 'send', via: 'window', bp: kind,
                       rel: kind === 'xo' ? relationOf(target) : 'self',
                       to: a.to, ts: ts, data: s.d, size: s.size,
                       trunc: s.truncated || false, ports: a.ports};
            if (a.form)
                rec.form = a.form;
            if (handling)
                rec.cause = handling;
            rec.key = key;   /* last: duplicates differ only here */
            consoleDebug(consoleObj, TOKEN + jsonStringify(rec));
        } catch (e) { /* never disturb the page */ }
        return false;
    }
    opts.publish(report);

    /* the functions pmscope puts breakpoints on (read while paused) */
    var fns = {};
    var host = null, tempRoot = null, temp = [];
    function tempFrame(sandboxed) {
        var f = document.createElement('iframe');
        f.name = opts.name + '-mint';
        if (sandboxed)
            f.setAttribute('sandbox', '');
        if (!host) {
            host = document.documentElement;
            if (!host)   /* document start: no root element yet */
                host = tempRoot = document.appendChild(document.createElement('html'));
        }
        host.appendChild(f);
        append(temp, f);
        return f;
    }
    try {
        if (isWin) {
            fns.own = self.postMessage;
            fns.probe = self.captureEvents;
            /* an opaque-origin frame: its WindowProxy is cross-origin */
            fns.xo = tempFrame(true).contentWindow.postMessage;
            /* creating a realm rewires existing functions that have a
             * function-entry breakpoint, so the one just minted is covered */
            void tempFrame(false).contentWindow.document;
        }
    } catch (e) { /* best effort */ }
    for (var t = 0; t < temp.length; t++)
        try { host.removeChild(temp[t]); } catch (e) { /* ignore */ }
    if (tempRoot)
        try { document.removeChild(tempRoot); } catch (e) { /* ignore */ }
    defineProp(report, 'fns', {value: fns});
    if (!isWin)
        return;
    try {
        reflectApply(fns.probe, self, []);
    } catch (e) { /* ignore */ }
    var href = '';
    try { href = '' + self.location.href; } catch (e) { /* ignore */ }
    if (opts.pause && !armed && href !== 'about:blank') {
        debugger; /* pmscope: set the function-entry breakpoints */
    }
    if (typeof readyBinding === 'function')
        try { readyBinding((armed ? 'armed ' : 'unarmed ') + href); } catch (e) { /* ignore */ }
})
