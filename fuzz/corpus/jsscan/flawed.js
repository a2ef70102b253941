// Handlers whose origin check can be bypassed.

// @case indexof-basic check=indexOf sinks=innerHTML
window.addEventListener('message', function (e) {
  if (e.origin.indexOf('trusted.example') > -1) {
    document.getElementById('x').innerHTML = e.data;
  }
});

// @case indexof-early-return check=indexOf sinks=eval
window.addEventListener('message', function (e) {
  if (e.origin.indexOf('https://a.example') !== 0) return;
  eval(e.data);
});

// @case indexof-boolean check=indexOf sinks=
window.addEventListener('message', function (e) {
  if (!~e.origin.indexOf('example.com')) return;
  console.log(e.data);
});

// @case indexof-string-literal-haystack check=indexOf sinks=innerHTML
window.addEventListener('message', function (e) {
  if ('https://a.example https://b.example'.indexOf(e.origin) === -1) return;
  out.innerHTML = e.data;
});

// @case indexof-string-var-haystack check=indexOf sinks=
var ALLOWED_ORIGINS = "https://a.example,https://b.example";
window.addEventListener('message', function (e) {
  if (ALLOWED_ORIGINS.indexOf(e.origin) < 0) return;
  console.log(e.data);
});

// @case includes-basic check=includes sinks=location
window.addEventListener('message', (e) => {
  if (!e.origin.includes('example.com')) return;
  window.location = e.data.url;
});

// @case includes-string-haystack check=includes sinks=
window.addEventListener('message', (e) => {
  if (!"https://a.example".includes(e.origin)) return;
  console.log(e.data);
});

// @case regex-unanchored check=regex-unanchored sinks=innerHTML
window.addEventListener('message', function (e) {
  if (!/trusted\.example\.com/.test(e.origin)) return;
  el.innerHTML = e.data;
});

// @case regex-unescaped-dot check=regex-unanchored sinks=
window.addEventListener('message', function (e) {
  if (!/^https:\/\/(www|mail).example.com$/.test(e.origin)) return;
  console.log(e.data);
});

// @case regex-match check=regex-unanchored sinks=eval
window.addEventListener('message', function (e) {
  if (e.origin.match(/\.example\.com$/)) eval(e.data);
});

// @case regex-var check=regex-unanchored sinks=
var originRe = /example\.com$/;
window.addEventListener('message', function (e) {
  if (!originRe.test(e.origin)) return;
  console.log(e.data);
});

// @case regex-new-regexp check=regex-unanchored sinks=
window.addEventListener('message', function (e) {
  if (!new RegExp('^https://.*\\.example\\.com$').test(e.origin)) return;
  console.log(e.data);
});

// @case regex-alternation check=regex-unanchored sinks=
window.addEventListener('message', function (e) {
  if (!/^https:\/\/a\.example$|b\.example/.test(e.origin)) return;
  console.log(e.data);
});

// @case startswith-no-slash check=startsWith sinks=innerHTML
window.addEventListener('message', (event) => {
  if (!event.origin.startsWith('https://a.example')) return;
  box.innerHTML = event.data;
});

// @case endswith check=endsWith sinks=eval
window.addEventListener('message', (event) => {
  if (event.origin.endsWith('example.com')) { eval(event.data); }
});

// @case endswith-dot check=endsWith sinks=
window.addEventListener('message', (event) => {
  if (!event.origin.endsWith('.example.com')) return;
  console.log(event.data);
});

// @case search-string check=search sinks=innerHTML
window.addEventListener('message', function (e) {
  if (e.origin.search('http://www.example.com') === -1) return;
  x.innerHTML = e.data;
});

// @case match-string check=match sinks=
window.addEventListener('message', function (e) {
  if (!e.origin.match('example.com')) return;
  console.log(e.data);
});

// @case flawed-or-strict check=endsWith sinks=
window.addEventListener('message', function (e) {
  if (e.origin === 'https://example.com' || e.origin.endsWith('.example.com')) {
    console.log(e.data);
  }
});

// @case url-hostname-endswith check=endsWith sinks=
window.addEventListener('message', function (e) {
  if (!new URL(e.origin).hostname.endsWith('example.com')) return;
  console.log(e.data);
});

// @case indexof-alias check=indexOf sinks=innerHTML
window.addEventListener('message', function (e) {
  var origin = e.origin || '';
  if (origin.indexOf('example.com') === -1) return;
  d.innerHTML = e.data;
});

// @case flawed-code-mode check=indexOf sinks=innerHTML mode=code
function(e){ if (e.origin.indexOf('a.example')>-1) el.innerHTML=e.data }

// @case pmforce-slice-search check=regex-unanchored sinks=
window.addEventListener('message', function (e) {
  if (e.origin.slice(-12).search(/([foo|bar].[com|org]+)\/?$/) === -1) return;
  console.log(e.data);
});

// @case some-endswith check=endsWith sinks=
var suffixes = ['.a.example', '.b.example'];
window.addEventListener('message', function (e) {
  if (!suffixes.some(function (s) { return e.origin.endsWith(s); })) return;
  console.log(e.data);
});
