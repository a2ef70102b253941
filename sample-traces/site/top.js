/* top.js - the top page of the pmscope demo site (http://127.0.0.1:8101). */
var channel = null;
var popup = null;

function log(text) {
    document.getElementById('log').textContent += text + '\n';
}

function widgetWindow() {
    return document.getElementById('widget').contentWindow;
}

/* Strict origin check: only the widget's exact origin is accepted. */
window.addEventListener('message', function onWidgetMessage(event) {
    if (event.origin === 'http://localhost:8102') {
        var msg = event.data;
        if (msg.type === 'hello') {
            widgetWindow().postMessage({id: 7, cmd: 'getUser'}, 'http://localhost:8102');
        } else if (msg.id === 7 && msg.result) {
            log('user ' + msg.result.name);
            openChannel();
        }
    }
});

/* Unanchored regex: "http://localhost:8102.evil.example" also matches. */
window.addEventListener('message', function onPopupMessage(event) {
    if (!/localhost:8102/.test(event.origin)) return;
    if (event.data.type === 'popup-ready') {
        popup.postMessage({type: 'welcome', session: 's-0001'}, 'http://localhost:8102');
    } else if (event.data.type === 'welcome-ack') {
        log('popup acknowledged');
    }
});

function openChannel() {
    channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
        if (event.data.type === 'pong') {
            log('pong ' + event.data.n);
            channel.port1.postMessage({type: 'configure-nested'});
        } else if (event.data.type === 'done') {
            popup = window.open('http://localhost:8102/popup.html', 'pmscope_popup');
        }
    };
    widgetWindow().postMessage({type: 'port'}, 'http://localhost:8102', [channel.port2]);
    channel.port1.postMessage({type: 'ping', n: 1});
}
