// More shapes: delegation through arrows, optional chaining, body
// destructuring, registrable-domain comparisons.

// @case arrow-delegates-to-method check=indexOf sinks=eval
class Host {
  start() { window.addEventListener('message', (e) => this.onMsg(e)); }
  onMsg(ev) {
    if (ev.origin.indexOf('example.com') < 0) return;
    eval(ev.data.code);
  }
}

// @case optional-chaining check=endsWith sinks=innerHTML
window.addEventListener('message', (e) => {
  if (!e?.origin?.endsWith('.example.com')) return;
  el.innerHTML = e?.data?.html;
});

// @case body-destructuring check=strict sinks=location
window.addEventListener('message', function (event) {
  const { origin, data } = event;
  if (origin !== 'https://pay.example') return;
  window.location.assign(data.next);
});

// @case registrable-domain check=strict sinks=
window.addEventListener('message', function (e) {
  if (new URL(e.origin).hostname.split('.').slice(-2).join('.') !== 'example.com') return;
  console.log(e.data);
});

// @case anchored-match check=strict sinks=Function
window.addEventListener('message', function (e) {
  if (!e.origin.match(/^https:\/\/([a-z]+\.)?example\.com$/)) return;
  new Function('return ' + e.data)();
});

// @case indexof-or check=indexOf sinks=jQuery.html
$(window).on('message', function (e) {
  var o = e.originalEvent.origin;
  if (o.indexOf('a.example') === -1 && o.indexOf('b.example') === -1) return;
  $('#panel').html(e.originalEvent.data);
});

// @case null-origin-compare check=strict sinks=
window.addEventListener('message', function (e) {
  if (e.origin === 'null') return;
  if (e.origin !== 'https://a.example') return;
  console.log(e.data);
});

// @case string-data-reparse check=none sinks=innerHTML
window.addEventListener('message', function (e) {
  var d = e.data;
  if (typeof d === 'string') d = JSON.parse(d);
  document.getElementById('out').innerHTML = d.html;
});

// @case minified-helper-regex check=regex-unanchored sinks=innerHTML
!function(){function n(t){return/\.example\.com/.test(t)}function r(t){document.body.innerHTML=t}window.addEventListener("message",function(t){n(t.origin)&&r(t.data)})}();

// @case settimeout-string-concat check=none sinks=setTimeout
window.addEventListener('message', function (e) {
  setTimeout('update(' + e.data.n + ')', 0);
});
