/*
 * record.js - records the HAR files of tests/data/hars/recorded/ from
 * the site serve.py serves, with a real Chromium (run by record-hars.sh,
 * which installs playwright-core and chrome-har in a temporary directory).
 *
 *   local__playwright.har   Playwright's recordHar (embedded bodies); the
 *                           hidden frame's document is left out by urlFilter
 *                           as a filtered export would
 *   local__chrome-har.har   chrome-har (the library sitespeed.io/browsertime
 *                           use) over the DevTools protocol events of the
 *                           same visit: _resourceType, _initiator...
 *   local__chrome-har-http.har  the same over http://a.test:PORT_A2 (names
 *                           mapped to 127.0.0.1): not a secure context, so
 *                           no Sec-Fetch-* headers
 *
 * usage: node record.js PORT_A PORT_A2 OUTDIR   (NODE_PATH names the modules)
 */
'use strict';
const { chromium } = require('playwright-core');
const { harFromMessages } = require('chrome-har');
const fs = require('fs');
const path = require('path');

const outdir = process.argv[4];
const launch = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-site-isolation-trials',
         '--host-resolver-rules=MAP *.test 127.0.0.1'],
};
let A;

/* tab 1: the redirect chain and the frames; tab 2: client-side redirects */
async function visit(context, onPage) {
  const p1 = await context.newPage();
  if (onPage) await onPage(p1);
  await p1.goto(`${A}/start`, { waitUntil: 'load' });
  await p1.waitForTimeout(1500);
  const p2 = await context.newPage();
  if (onPage) await onPage(p2);
  await p2.goto(`${A}/old.html`);
  await p2.waitForURL(`${A}/final.html`);
  await p2.waitForLoadState('load');
  await p2.waitForTimeout(500);
}

async function recordPlaywright(browser) {
  const context = await browser.newContext({
    recordHar: {
      path: path.join(outdir, 'local__playwright.har'),
      content: 'embed',
      urlFilter: /^(?!.*hidden-frame\.html).*$/,
    },
  });
  await visit(context);
  await context.close();
}

async function recordChromeHar(browser, name) {
  const context = await browser.newContext();
  const messages = [];
  const bodies = [];
  await visit(context, async (page) => {
    const cdp = await context.newCDPSession(page);
    const responses = new Map();
    const keep = (method) => (params) => {
      messages.push({ method, params });
      if (method === 'Network.responseReceived')
        responses.set(params.requestId, params);
      if (method === 'Network.loadingFinished' && responses.has(params.requestId))
        bodies.push(cdp.send('Network.getResponseBody',
                             { requestId: params.requestId })
          .then((r) => {
            if (!r.base64Encoded)
              responses.get(params.requestId).response.body = r.body;
          }, () => {}));
    };
    for (const m of ['Page.frameStartedLoading', 'Page.frameRequestedNavigation',
                     'Page.navigatedWithinDocument', 'Page.domContentEventFired',
                     'Page.loadEventFired', 'Page.frameAttached',
                     'Page.frameScheduledNavigation', 'Page.frameNavigated',
                     'Page.frameStoppedLoading',
                     'Network.requestWillBeSent', 'Network.requestWillBeSentExtraInfo',
                     'Network.responseReceived', 'Network.responseReceivedExtraInfo',
                     'Network.dataReceived', 'Network.loadingFinished',
                     'Network.loadingFailed', 'Network.requestServedFromCache',
                     'Network.resourceChangedPriority'])
      cdp.on(m, keep(m));
    await cdp.send('Page.enable');
    await cdp.send('Network.enable');
  });
  await Promise.all(bodies);
  await context.close();
  const har = harFromMessages(messages, { includeTextFromResponseBody: true });
  fs.writeFileSync(path.join(outdir, name),
                   JSON.stringify(har, null, 1) + '\n');
}

(async () => {
  const browser = await chromium.launch(launch);
  try {
    A = `http://127.0.0.1:${process.argv[2]}`;
    await recordPlaywright(browser);
    await recordChromeHar(browser, 'local__chrome-har.har');
    A = `http://a.test:${process.argv[3]}`;
    await recordChromeHar(browser, 'local__chrome-har-http.har');
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
