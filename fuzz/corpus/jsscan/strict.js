// Handlers with a strict origin check.

// @case strict-early-return check=strict sinks=innerHTML
window.addEventListener('message', function (e) {
  if (e.origin !== 'https://trusted.example') return;
  document.getElementById('out').innerHTML = e.data;
});

// @case strict-eq-block check=strict sinks=eval
window.addEventListener('message', function (event) {
  if (event.origin === "https://a.example") {
    eval(event.data);
  }
});

// @case strict-reversed check=strict sinks=
window.addEventListener('message', function (event) {
  if ("https://a.example" == event.origin) { handle(event.data); }
});

// @case strict-two-origins check=strict sinks=
window.addEventListener('message', function (e) {
  if (e.origin !== 'https://a.example' && e.origin !== 'https://b.example') {
    return;
  }
  console.log(e.data);
});

// @case strict-location-origin check=strict sinks=innerHTML
window.addEventListener('message', function (e) {
  if (e.origin !== window.location.origin) return;
  out.innerHTML = e.data;
});

// @case strict-window-origin check=strict sinks=
window.addEventListener('message', (e) => {
  if (e.origin != window.origin) { return; }
  apply(e.data);
});

// @case strict-switch check=strict sinks=location
window.addEventListener('message', function (e) {
  switch (e.origin) {
  case 'https://a.example':
  case 'https://b.example':
    location.href = e.data.next;
    break;
  default:
    return;
  }
});

// @case strict-allowlist-includes check=strict sinks=innerHTML
const ALLOWED = ['https://a.example', 'https://b.example'];
window.addEventListener('message', (e) => {
  if (!ALLOWED.includes(e.origin)) return;
  box.innerHTML = e.data.html;
});

// @case strict-allowlist-indexof check=strict sinks=
var trusted = ["https://a.example", "https://b.example"];
window.addEventListener("message", function (e) {
  if (trusted.indexOf(e.origin) === -1) { return; }
  console.log(e.data);
});

// @case strict-inline-array check=strict sinks=
window.addEventListener('message', function (e) {
  if (['https://a.example', 'https://b.example'].indexOf(e.origin) < 0) return;
  doThing(e.data);
});

// @case strict-set check=strict sinks=eval
const origins = new Set(['https://a.example']);
window.addEventListener('message', (e) => {
  if (!origins.has(e.origin)) return;
  eval(e.data);
});

// @case strict-map check=strict sinks=
const routes = new Map([['https://a.example', 'a']]);
window.addEventListener('message', (e) => {
  const r = routes.get(e.origin);
  if (!r) return;
  console.log(r, e.data);
});

// @case strict-object-lookup check=strict sinks=
var allowed = { 'https://a.example': true };
window.addEventListener('message', function (e) {
  if (!allowed[e.origin]) return;
  run(e.data);
});

// @case strict-destructured check=strict sinks=innerHTML
window.addEventListener('message', ({ origin, data }) => {
  if (origin !== 'https://a.example') return;
  el.innerHTML = data;
});

// @case strict-destructured-alias check=strict sinks=
window.addEventListener('message', ({ origin: o, data: d }) => {
  if (o === 'https://a.example') console.log(d);
});

// @case strict-alias-var check=strict sinks=
window.addEventListener('message', function (e) {
  var o = e.origin;
  if (o !== 'https://a.example') return;
  console.log(e.data);
});

// @case strict-url-hostname check=strict sinks=
window.addEventListener('message', function (e) {
  var u = new URL(e.origin);
  if (u.hostname !== 'a.example') return;
  console.log(e.data);
});

// @case strict-anchored-regex check=strict sinks=
window.addEventListener('message', function (e) {
  if (!/^https:\/\/(www|app)\.example\.com$/.test(e.origin)) return;
  console.log(e.data);
});

// @case strict-startswith-slash check=strict sinks=
window.addEventListener('message', function (e) {
  if (!(e.origin + '/').startsWith('https://a.example/')) return;
  console.log(e.data);
});

// @case strict-in-object check=strict sinks=
var ok = { 'https://a.example': 1 };
window.addEventListener('message', function (e) {
  if (!(e.origin in ok)) return;
  console.log(e.data);
});

// @case strict-code-mode check=strict sinks=innerHTML mode=code
function (e) { if (e.origin !== "https://a.example") return; out.innerHTML = e.data; }

// @case strict-ternary check=strict sinks=
window.addEventListener('message', function (e) {
  var ok = e.origin === 'https://a.example' ? true : false;
  if (ok) console.log(e.data);
});

// @case strict-lowercase check=strict sinks=
window.addEventListener('message', function (e) {
  if (e.origin.toLowerCase() !== 'https://a.example') return;
  console.log(e.data);
});
