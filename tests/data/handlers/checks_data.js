// Checks held in helpers and data, and comparisons that restrict nothing.

// @case helper-anchored-regex check=strict sinks=innerHTML
function isTrustedUrl(u) { return /^https:\/\/([a-z0-9-]+\.)?trusted\.example$/.test(u); }
window.addEventListener('message', function (event) {
  if (!isTrustedUrl(event.origin)) return;
  document.body.innerHTML = event.data;
});

// @case regex-variable-from-config check=regex-unanchored sinks=eval
var sdkSettings = { allowed: 'partner\\.example' };
window.addEventListener('message', function (e) {
  var pattern = new RegExp(sdkSettings.allowed + '$');
  if (!pattern.test(e.origin)) return;
  eval(e.data);
});

// @case regex-in-property check=regex-unanchored sinks=eval
var sdkOptions = { originPattern: /^https:\/\/app.example$/ };
window.addEventListener('message', function (e) {
  if (!sdkOptions.originPattern.test(e.origin)) return;
  eval(e.data);
});

// @case allow-list-in-property check=strict sinks=eval
var frameCfg = { origins: ['https://a.example', 'https://b.example'] };
window.addEventListener('message', function (e) {
  if (!frameCfg.origins.includes(e.origin)) return;
  eval(e.data);
});

// @case check-that-only-logs check=none sinks=eval
window.addEventListener('message', function (e) {
  if (e.origin !== 'https://a.example') console.warn('unexpected origin', e.origin);
  eval(e.data);
});

// @case origin-compared-with-data check=none sinks=eval
window.addEventListener('message', function (e) {
  if (e.origin !== e.data.origin) return;
  eval(e.data.code);
});

// @case data-compared-with-origin check=none sinks=eval
window.addEventListener('message', function (msg) {
  if (msg.data.sender != msg.origin) return;
  eval(msg.data.code);
});

// @case origin-then-data-in-one-condition check=strict sinks=
window.addEventListener('message', function (e) {
  if (e.origin === sessionCfg.origin && 'changed' == e.data) refresh();
});

// @case helper-resolved-by-scope check=strict sinks=
var bridge = (function () {
  function accept(ev) { return ev.origin === 'https://parent.example'; }
  var retries = [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200];
  var labels = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
  var sizes = { small: 1, medium: 2, large: 3, huge: 4, giant: 5, max: 6 };
  return function start() {
    window.addEventListener('message', function (ev) {
      if (!accept(ev)) return;
      console.log(ev.data);
    });
  };
})();
var other = (function () {
  function accept(ev) { return ev.source === window.parent; }
  return accept;
})();
