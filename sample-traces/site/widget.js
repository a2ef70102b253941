/* widget.js - the widget frame of the pmscope demo site (http://localhost:8102). */
var port = null;

function nestedWindow() {
    return document.getElementById('nested').contentWindow;
}

/* indexOf on the origin: "http://127.0.0.1.evil.example" passes too. */
window.addEventListener('message', function onHostMessage(e) {
    if (e.origin.indexOf('http://127.0.0.1') > -1) {
        if (e.data.cmd === 'getUser') {
            e.source.postMessage({id: e.data.id, result: {name: 'Alice', email: 'alice@example.test'}}, e.origin);
        } else if (e.data.type === 'port') {
            port = e.ports[0];
            port.addEventListener('message', function onPortMessage(pe) {
                if (pe.data.type === 'ping') {
                    port.postMessage({type: 'pong', n: pe.data.n});
                } else if (pe.data.type === 'configure-nested') {
                    nestedWindow().postMessage({type: 'config', token: 'tok_demo_5f2a9c', theme: '<b>dark</b>'}, '*');
                }
            });
            port.start();
        }
    }
});

/* endsWith on the origin: any host ending in "127.0.0.1:8103" passes. */
window.addEventListener('message', function onNestedMessage(e) {
    if (!e.origin.endsWith('127.0.0.1:8103')) return;
    if (e.data.type === 'nested-ready') {
        parent.postMessage({type: 'hello', from: 'widget'}, 'http://127.0.0.1:8101');
    } else if (e.data.type === 'config-ack') {
        port.postMessage({type: 'done'});
    }
});
