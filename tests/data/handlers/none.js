// Handlers without any origin check.
// Label line: // @case NAME check=CLASS sinks=LIST [reply=TARGET] [mode=code]
// mode=code: the text is a handler source as a trace records it (no registration).

// @case none-innerhtml check=none sinks=innerHTML
window.addEventListener('message', function (e) {
  document.getElementById('out').innerHTML = e.data;
});

// @case none-eval-arrow check=none sinks=eval
window.addEventListener("message", (event) => { eval(event.data.code); });

// @case none-no-sink check=none sinks=
addEventListener('message', function(msg) { console.log('got', msg.data, msg.origin); });

// @case none-onmessage check=none sinks=location
window.onmessage = function (ev) {
  var target = ev.data.redirect;
  window.location.href = target;
};

// @case none-self-onmessage check=none sinks=eval
self.onmessage = function (e) { eval(e.data) };

// @case none-destructured check=none sinks=innerHTML
window.addEventListener('message', ({ data }) => {
  document.body.innerHTML = data.html;
});

// @case none-json-parse check=none sinks=document.write
window.addEventListener('message', function (e) {
  var msg = JSON.parse(e.data);
  if (msg.type === 'render') {
    document.write(msg.body);
  }
});

// @case none-data-type-switch check=none sinks=outerHTML,window.open
window.addEventListener('message', function (e) {
  switch (e.data.type) {
  case 'open': window.open(e.data.url); break;
  case 'swap': document.getElementById('x').outerHTML = e.data.html; break;
  }
});

// @case none-truthy-origin check=none sinks=innerHTML
window.addEventListener('message', function (e) {
  if (!e.origin) return;
  el.innerHTML = e.data;
});

// @case none-origin-logged check=none sinks=setTimeout
window.addEventListener('message', function (e) {
  console.info('message from ' + e.origin);
  setTimeout(e.data.cb, 10);
});

// @case none-string-settimeout-fn check=none sinks=
window.addEventListener('message', function (e) {
  setTimeout(function () { console.log(e.data); }, 10);
});

// @case none-code-mode check=none sinks=innerHTML mode=code
function (e) { document.querySelector('#x').innerHTML = e.data.html }

// @case none-arrow-code-mode check=none sinks=eval mode=code
e => eval(e.data)

// @case none-asi check=none sinks=innerHTML,src
window.addEventListener('message', function (e) {
  const d = e.data
  const img = document.createElement('img')
  img.src = d.image
  box.innerHTML = d.caption
})

// @case none-template check=none sinks=innerHTML
window.addEventListener('message', (e) => {
  const html = `<div class="${e.data.cls}">${e.data.text.replace(/</g, `&lt;${"x"}`)}</div>`;
  panel.innerHTML = html;
});

// @case none-foreach check=none sinks=insertAdjacentHTML
window.addEventListener('message', function (e) {
  e.data.items.forEach(function (it) {
    list.insertAdjacentHTML('beforeend', it);
  });
});
