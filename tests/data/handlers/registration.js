// Registration forms and handlers made elsewhere, which the parser's scopes
// and value following resolve (jsmodel.c): wrapper functions, handleEvent
// objects, factories, bundler module maps, shadowed names.

// @case wrapper-function check=indexOf sinks=innerHTML how=wrapper
function listen(target, type, callback) {
  if (target.addEventListener) target.addEventListener(type, callback, false);
  else target.attachEvent('on' + type, callback);
}
function receive(msg) {
  if (msg.origin.indexOf('partner.example') === -1) return;
  document.getElementById('out').innerHTML = msg.data;
}
listen(window, 'message', receive);

// @case wrapper-method check=none sinks=eval how=wrapper
var dom = {
  bindEvent: function (node, name, fn) { node.addEventListener(name, fn); }
};
dom.bindEvent(window, 'message', function (ev) { eval(ev.data.code); });

// @case handle-event-class check=strict sinks=location how=handleEvent
class FrameBridge {
  start() { window.addEventListener('message', this, false); }
  handleEvent(evt) {
    if (evt.origin !== 'https://widget.example') return;
    location.href = evt.data.next;
  }
}
new FrameBridge().start();

// @case handle-event-object check=endsWith sinks= how=handleEvent
var sink = {
  handleEvent: function (e) {
    if (!e.origin.endsWith('.example')) return;
    console.log(e.data);
  }
};
addEventListener('message', sink);

// @case factory-in-module-map check=endsWith sinks=innerHTML
(function (modules) { return modules; })({
  12: function (module, exports, req) {
    req.d(exports, { makeReady: function () { return makeReady; } });
    function makeReady(cfg, el) {
      return function (ev) {
        if (!ev.origin.endsWith(cfg.host)) return;
        el.innerHTML = ev.data.html;
      };
    }
  },
  40: function (module, exports, req) {
    var ready = req(12);
    window.addEventListener('message', (0, ready.makeReady)(config, panel));
  }
});

// @case factory-through-variables check=strict sinks=eval
function createReceiver(allowed) {
  var handler = function (e) {
    if (e.origin !== allowed) return;
    eval(e.data);
  };
  return handler;
}
var made = createReceiver('https://ops.example');
var chosen = made;
window.addEventListener('message', chosen);

// @case this-method-assigned check=none sinks=src
function Player(frame) {
  this.frame = frame;
  this.onPlayerMessage = function (m) { frame.src = m.data.url; };
}
Player.prototype.attach = function () {
  window.addEventListener('message', this.onPlayerMessage.bind(this));
};

// @case shadowed-name check=strict sinks=eval
function setupOther() {
  function t(e) { eval(e.data); }
  return t;
}
function setup() {
  window.addEventListener('message', t);
  var unrelated = [1, 2, 3].map(function (x) { return x * 2; });
  function t(e) {
    if (e.origin !== 'https://x.example') return;
    eval(e.data);
  }
}

// @case never-reads-event-arrow check=none sinks= reads=no
window.addEventListener('message', () => {});

// @case never-reads-event-counter check=none sinks= reads=no
var seen = 0, needed = 3;
window.addEventListener('message', function () { ++seen === needed && done(); });

// @case reads-arguments check=none sinks=innerHTML
window.addEventListener('message', function () { out.innerHTML = arguments[0].data; });

// @case event-type-constant check=indexOf sinks=innerHTML
var Events;
(function (E) { E["Incoming"] = "message"; })(Events || (Events = {}));
function onIncoming(ev) {
  if (ev.origin.indexOf('.trusted.example') < 0) return;
  banner.innerHTML = ev.data;
}
window.addEventListener(Events.Incoming, onIncoming);

// @case wrapper-named-like-the-dom check=strict sinks= how=wrapper
function addEventListener(el, evt, fn) {
  if ('addEventListener' in el) el.addEventListener(evt, fn, false);
}
function resized(e) {
  if (e.origin !== 'https://host.example') return;
  console.log(e.data);
}
addEventListener(window, 'message', resized);

// @case self-alias-prototype-method check=strict sinks=eval
var Widget = (function () {
  function Widget(origin) { this._origin = origin; }
  Widget.prototype.open = function () {
    var self = this;
    self._bound = self._onMessage.bind(self);
    window.addEventListener('message', self._bound, false);
  };
  Widget.prototype._onMessage = function (e) {
    if (e.origin !== this._origin) return;
    eval(e.data.script);
  };
  return Widget;
})();

// @case create-class-descriptor check=endsWith sinks=
var Frame = (function () {
  function Frame() {
    this._bound = this._onMessage.bind(this);
    window.addEventListener('message', this._bound, false);
  }
  defineMethods(Frame, [{
    key: '_onMessage',
    value: function (e) {
      if (!e.origin.endsWith('frames.example')) return;
      this.resolve(e.data);
    }
  }]);
  return Frame;
})();

// @case regex-from-config check=regex-unanchored sinks=location
var embedSettings = { xdomain: 'news\\.example' };
window.addEventListener('message', function (e) {
  if (!e.origin.match(new RegExp(embedSettings.xdomain + '$'))) return;
  location.href = e.data.go;
});

// @case null-origin-normalised check=none sinks=innerHTML
window.addEventListener('message', function (ev) {
  var from = ev.origin || ev.originalEvent.origin;
  if (from === 'null') from = 'file://';
  dispatchTo(from, ev.data);
});
function dispatchTo(origin, data) { panel.innerHTML = data.html; }

// @case own-constructor-member check=includes sinks=
function Host(opts) {
  this._receive = function (m) {
    if (!m.origin.includes(opts.domain)) return;
    console.log(m.data);
  }.bind(this);
  window.addEventListener('message', this._receive, false);
}
function Guest(opts) {
  this._receive = function (m) {
    if (m.origin !== opts.parentOrigin) return;
    console.log(m.data);
  }.bind(this);
}
