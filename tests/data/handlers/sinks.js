// One sink per case, with no origin check, to pin down each sink's shape.

// @case sink-insertadjacent check=none sinks=insertAdjacentHTML
window.addEventListener('message', e => { el.insertAdjacentHTML('afterbegin', e.data); });

// @case sink-writeln check=none sinks=document.write
window.addEventListener('message', e => { document.writeln(e.data.text); });

// @case sink-setinterval check=none sinks=setInterval
window.addEventListener('message', e => { setInterval(e.data, 1000); });

// @case sink-location-assign check=none sinks=location
window.addEventListener('message', e => { location.assign(e.data.next); });

// @case sink-location-replace check=none sinks=location
window.addEventListener('message', e => { window.location.replace(e.data); });

// @case sink-top-location check=none sinks=location
window.addEventListener('message', e => { top.location = e.data.url; });

// @case sink-iframe-src check=none sinks=src
window.addEventListener('message', e => { document.getElementById('f').src = e.data.src; });

// @case sink-link-href check=none sinks=href
window.addEventListener('message', e => { a.href = e.data.link; });

// @case sink-setattribute check=none sinks=src
window.addEventListener('message', e => { frame.setAttribute('src', e.data.u); });

// @case sink-sessionstorage check=none sinks=sessionStorage
window.addEventListener('message', e => { sessionStorage.setItem('s', e.data); });

// @case sink-cookie check=none sinks=cookie
window.addEventListener('message', e => { document.cookie = 'sid=' + e.data.sid; });

// @case sink-xhr check=none sinks=XMLHttpRequest
window.addEventListener('message', function (e) {
  var x = new XMLHttpRequest();
  x.open('GET', e.data.url);
  x.send();
});

// @case sink-untainted check=none sinks= reads=no
window.addEventListener('message', function (e) {
  el.innerHTML = '<b>hello</b>';
  location.href = '/home';
  eval('1+1');
});

// @case sink-destructure-later check=none sinks=eval
window.addEventListener('message', function (e) {
  const { code, id } = e.data;
  eval(code);
});

// @case sink-window-open check=none sinks=window.open
window.addEventListener('message', function (e) { var w = window.open(e.data.url, '_blank'); });

// @case sink-outer-multi check=none sinks=innerHTML,eval,localStorage
window.addEventListener('message', function (e) {
  var m = e.data;
  el.innerHTML = m.a;
  eval(m.b);
  localStorage.setItem('k', m.c);
});
