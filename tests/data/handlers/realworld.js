// Shapes seen in real pages: bundles, jQuery, classes, helpers, wrappers.

// @case min-none check=none sinks=innerHTML
!function(){"use strict";var t=document.getElementById("w");window.addEventListener("message",function(e){var n=e.data;if("resize"===n.type){t.style.height=n.h+"px"}else{t.innerHTML=n.html}},!1)}();

// @case min-indexof check=indexOf sinks=eval
(function(w,d){w.addEventListener("message",function(a){if(-1<a.origin.indexOf("widget.example")){var b=JSON.parse(a.data);"exec"==b.cmd&&eval(b.js)}},!1)})(window,document);

// @case min-strict check=strict sinks=location
var r=function(e){if(e.origin!==o)return;var t=e.data;t&&t.url&&(window.location.href=t.url)},o="https://accounts.example";window.addEventListener("message",r);

// @case min-regex-division check=strict sinks=
var a=10,b=2,c=a/b/2,re=/x\/y/g;window.addEventListener("message",function(e){if(e.origin===location.origin){var h=c/2;console.log(e.data,h/1,re)}});

// @case jquery-on check=none sinks=jQuery.html
$(window).on('message', function (e) {
  var data = e.originalEvent.data;
  $('#out').html(data.html);
});

// @case jquery-originalevent-origin check=indexOf sinks=jQuery()
$(window).on("message", function (e) {
  var oe = e.originalEvent;
  if (oe.origin.indexOf("example.com") < 0) return;
  $(oe.data.selector).show();
});

// @case jquery-strict check=strict sinks=
jQuery(window).on('message onmessage', function (evt) {
  if (evt.originalEvent.origin !== 'https://a.example') { return; }
  console.log(evt.originalEvent.data);
});

// @case class-method-bind check=strict sinks=innerHTML
class Widget {
  constructor(el) {
    this.el = el;
    window.addEventListener('message', this.onMessage.bind(this));
  }
  onMessage(event) {
    if (event.origin !== 'https://host.example') return;
    this.el.innerHTML = event.data.html;
  }
}

// @case class-arrow-field check=none sinks=eval
class Bridge {
  handle = (e) => {
    eval(e.data);
  };
  start() { window.addEventListener('message', this.handle); }
}

// @case named-function check=endsWith sinks=localStorage
function receiveMessage(event) {
  if (!event.origin.endsWith('example.org')) return;
  localStorage.setItem('token', event.data.token);
}
window.addEventListener('message', receiveMessage, false);

// @case named-var-arrow check=none sinks=fetch
const onMsg = (e) => { fetch(e.data.url, { credentials: 'include' }); };
window.addEventListener('message', onMsg);

// @case helper-check-strict check=strict sinks=innerHTML
function isAllowed(origin) {
  return origin === 'https://a.example' || origin === 'https://b.example';
}
window.addEventListener('message', function (e) {
  if (!isAllowed(e.origin)) return;
  out.innerHTML = e.data;
});

// @case helper-check-flawed check=indexOf sinks=innerHTML
function trusted(o) { return o.indexOf('example.com') !== -1; }
window.addEventListener('message', function (e) {
  if (!trusted(e.origin)) return;
  out.innerHTML = e.data;
});

// @case helper-event check=startsWith sinks=
function validate(ev) {
  return ev.origin.startsWith('https://app.example');
}
window.addEventListener('message', function (e) {
  if (!validate(e)) return;
  console.log(e.data);
});

// @case helper-sink check=none sinks=innerHTML
function render(html) { document.getElementById('c').innerHTML = html; }
window.addEventListener('message', function (e) { render(e.data.html); });

// @case helper-dispatch check=strict sinks=eval
function handleMessage(e) {
  if (e.origin !== 'https://a.example') return;
  process(e.data);
}
function process(msg) { if (msg.op === 'run') eval(msg.src); }
window.addEventListener('message', function (e) { handleMessage(e); });

// @case object-method check=strict sinks=
var Messenger = {
  init: function () { window.addEventListener('message', this.receive); },
  receive: function (e) {
    if (e.origin !== window.location.origin) return;
    console.log(e.data);
  }
};

// @case wrapped-raven check=none sinks=innerHTML
window.addEventListener('message', Raven.wrap(function (e) {
  el.innerHTML = e.data;
}));

// @case reply-wildcard check=none sinks= reply=*
window.addEventListener('message', function (e) {
  if (e.data === 'ping') e.source.postMessage({ pong: true, cookie: document.cookie }, '*');
});

// @case reply-origin check=strict sinks= reply=e.origin
window.addEventListener('message', function (e) {
  if (e.origin !== 'https://a.example') return;
  e.source.postMessage({ id: e.data.id, ok: true }, e.origin);
});

// @case forward-postmessage check=none sinks=postMessage
window.addEventListener('message', function (e) {
  document.getElementById('child').contentWindow.postMessage(e.data, '*');
});

// @case port-onmessage check=none sinks=innerHTML
const channel = new MessageChannel();
channel.port1.onmessage = (e) => { log.innerHTML = e.data; };

// @case worker-global check=none sinks=Function
onmessage = function (e) { new Function(e.data)(); };

// @case async-handler check=strict sinks=fetch
window.addEventListener('message', async (e) => {
  if (e.origin !== 'https://api.example') return;
  await fetch('/save', { method: 'POST', body: e.data });
});

// @case attach-event check=none sinks=document.write
window.attachEvent('onmessage', function (e) { document.write(e.data); });

// @case comment-tricks check=none sinks=innerHTML
window.addEventListener('message', function (e) {
  // if (e.origin !== 'https://a.example') return;
  /* e.origin === "x" */
  var s = "e.origin === 'https://a.example'";
  el.innerHTML = e.data + s;
});
