// Handlers that check only event.source, or check in ways the scanner cannot judge.

// @case source-only check=source sinks=innerHTML
var frame = document.getElementById('f');
window.addEventListener('message', function (e) {
  if (e.source !== frame.contentWindow) return;
  el.innerHTML = e.data;
});

// @case source-parent check=source sinks=
window.addEventListener('message', function (e) {
  if (e.source === window.parent) { console.log(e.data); }
});

// @case source-destructured check=source sinks=eval
window.addEventListener('message', ({ source, data }) => {
  if (source !== window.opener) return;
  eval(data);
});

// @case unknown-external-helper check=unknown sinks=innerHTML
window.addEventListener('message', function (e) {
  if (!SomeLib.isTrustedOrigin(e.origin)) return;
  el.innerHTML = e.data;
});

// @case unknown-regex-from-config check=unknown sinks=
window.addEventListener('message', function (e) {
  if (!config.originPattern.test(e.origin)) return;
  console.log(e.data);
});

// @case unknown-not-found mode=code check=unknown sinks=
function () { [native code] }

// @case unknown-handler-by-unknown-name check=unknown sinks=
window.addEventListener('message', externalHandler);

// @case source-and-strict check=strict sinks=
window.addEventListener('message', function (e) {
  if (e.source !== parent || e.origin !== 'https://a.example') return;
  console.log(e.data);
});
