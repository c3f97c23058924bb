'use strict';
// The console in a real browser: Debian's chromium, headless, driven by playwright-core, against
// the real `smsgw serve` (the test build's binary) on 127.0.0.1 with a free port and a fresh data
// directory; the embedded SMSC simulator delivers. Each case is a step of one run (they build on
// each other: the message sent in one is looked up in the next). A screenshot of each page goes
// to <output dir>. The server and the browser are stopped by PID whatever happens.
//
// usage: node console_test.js <smsgw binary> <output dir>   ($CHROMIUM: the browser, default
// /usr/bin/chromium)

const assert = require('assert/strict');
const {spawn, execFileSync} = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

let chromium;
try {
  ({chromium} = require('playwright-core'));
} catch (e) {
  console.error(`${e.message}\nrun \`npm ci\` in ${__dirname} first (make test does)`);
  process.exit(1);
}

const [binary, outDir] = process.argv.slice(2);
if (!binary || !outDir) {
  console.error('usage: node console_test.js <smsgw binary> <output dir>');
  process.exit(2);
}
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 20000;  // ASan build on shared cores: generous, never slept away

// A webhook receiver on 127.0.0.1 that answers 200 to everything and keeps each request's
// headers and body; resolves with its URL and the requests.
function startReceiver() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      requests.push({url: req.url, headers: req.headers, body});
      res.end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({server, requests, url: `http://127.0.0.1:${server.address().port}/hook`}));
  });
}

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
function closedPort() {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Failed sign-ins a source may make (the config's, below the default 30: the last case shows
// the setting applies).
const SIGN_IN_FAILURES_PER_SOURCE = 25;

// Starts `smsgw serve` and resolves with its base URL and the first account's SID and key, read
// from its stdout as a person would. Webhooks may call 127.0.0.1 (the receiver).
function startServer(dataDir) {
  const config = path.join(dataDir, 'smsgw.toml');
  fs.writeFileSync(config, '[webhooks]\nallow_targets = ["127.0.0.1"]\n' +
                   `[console]\nsign_in_failures_per_source = ${SIGN_IN_FAILURES_PER_SOURCE}\n`);
  const child = spawn(binary, ['serve', '--config', config, '--listen', '127.0.0.1:0',
                               '--admin-listen', '127.0.0.1:0', '--data', dataDir],
                      {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 60000);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}\n${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const base = out.match(/smsgw listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const sid = out.match(/SID:\s+(\S+)/);
      const key = out.match(/API key:\s+(\S+)/);
      if (base && sid && key) {
        clearTimeout(timer);
        resolve({child, base: base[1], sid: sid[1], key: key[1], stderr: () => err});
      }
    });
  });
}

// Stops a child by its PID: SIGTERM, then SIGKILL if it has not gone within 20 s.
function stopByPid(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 20000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    process.kill(child.pid, 'SIGTERM');
  });
}

async function send(server, sid, key, to, callbackUrl) {
  const message = {to, sender: 'SMSGW', body: `Hello ${to}`};
  if (callbackUrl) message.callback = {url: callbackUrl, method: 'POST'};
  const response = await fetch(`${server.base}/v1/${sid}/messages`, {
    method: 'POST',
    headers: {'api-key': key, 'Content-Type': 'application/json'},
    body: JSON.stringify(message),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.data[0].message_id;
}

async function signIn(page, base, sid, key) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('Account SID').fill(sid);
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter');  // the form works from the keyboard
}

// What every page must be, at any width: each control has an accessible name (a label, or
// aria-label), nothing makes the page wider than the window (wide tables scroll inside their
// own box), each page link of the top bar is on screen, and text has WCAG AA contrast against
// the background it is drawn on (4.5:1; 3:1 for large text). Disabled controls are exempt, as
// in WCAG.
async function checkAccessible(page, name) {
  const problems = await page.evaluate(() => {
    const out = [];
    const shown = (e) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const describe = (e) => e.outerHTML.slice(0, 100);
    for (const e of document.querySelectorAll('input, select, textarea, button')) {
      if (!shown(e) || e.type === 'hidden') continue;
      const labelled = e.getAttribute('aria-labelledby');
      const accessibleName =
          [...(e.labels || [])].map((l) => l.textContent.trim()).join(' ') ||
          (e.getAttribute('aria-label') || '').trim() ||
          (labelled ? labelled.split(/\s+/).map((id) =>
              (document.getElementById(id) || {textContent: ''}).textContent.trim()).join(' ') : '') ||
          (e.tagName === 'BUTTON' ? e.textContent.trim() : '');
      if (!accessibleName) out.push(`no accessible name: ${describe(e)}`);
    }
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) out.push(`the page is ${width}px wide in a ${window.innerWidth}px window`);
    for (const link of document.querySelectorAll('#pages a')) {
      if (document.getElementById('pages').hidden) break;
      const r = link.getBoundingClientRect();
      if (!shown(link) || r.left < 0 || r.right > window.innerWidth) out.push(`page link off screen: ${link.textContent}`);
    }
    const rgba = (c) => {
      const v = (c.match(/[\d.]+/g) || []).map(Number);
      return v.length === 3 ? [...v, 1] : v;
    };
    const luminance = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    // The colour under `e`: the first ancestor's background that is not (nearly) transparent.
    const backgroundOf = (e) => {
      for (let n = e; n; n = n.parentElement) {
        const c = rgba(getComputedStyle(n).backgroundColor);
        if (c.length === 4 && c[3] >= 0.5) return c;
      }
      return [255, 255, 255, 1];
    };
    for (const e of document.querySelectorAll('body *')) {
      if (!shown(e) || e.disabled || e.closest('option, canvas, [disabled]')) continue;
      if (![...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
      const s = getComputedStyle(e);
      const fg = rgba(s.color);
      const bg = backgroundOf(e);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (Number(s.fontWeight) >= 700 && size >= 18.66);
      const need = large ? 3 : 4.5;
      if (ratio < need) {
        out.push(`contrast ${ratio.toFixed(2)} < ${need}: "${e.textContent.trim().slice(0, 40)}" ` +
                 `(${s.color} on rgba(${bg.join(', ')}))`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, [], `${name}: ${problems.join('\n')}`);
}

const shots = [];
async function screenshot(page, name) {
  // Nothing rendered from a value that is not text (a stray null, an element turned to a string).
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\[object /, `${name}: ${text}`);
  await checkAccessible(page, name);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  shots.push(file);
}

// Presses Tab until the focused element's name matches `name` (a keyboard user reaches it), and
// checks that the focus is visible there (an outline of at least 2 px). Returns the element's
// name.
async function tabTo(page, name, maxTabs = 80) {
  for (let i = 0; i < maxTabs; ++i) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      const label = [...(e.labels || [])].map((l) => l.textContent.trim()).join(' ');
      return {
        name: e.getAttribute('aria-label') || label || e.textContent.trim(),
        outline: s.outlineStyle,
        width: parseFloat(s.outlineWidth),
      };
    });
    if (name.test(focused.name)) {
      assert.ok(focused.outline !== 'none' && focused.width >= 2,
                `${focused.name}: no visible focus (${focused.outline} ${focused.width}px)`);
      return focused.name;
    }
  }
  assert.fail(`${name} not reached with ${maxTabs} presses of Tab`);
}

async function run(server, browser) {
  const a = await browser.newContext({viewport: {width: 1280, height: 800}});
  a.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await a.newPage();

  // The page and its headers.
  const first = await page.goto(`${server.base}/console/`);
  const headers = first.headers();
  assert.match(headers['content-security-policy'], /default-src 'none'; script-src 'self'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.match(headers['content-type'], /^text\/html/);

  console.log('case: bad credentials show an error');
  await signIn(page, server.base, server.sid, 'A' + '0'.repeat(32));
  await page.getByRole('alert').filter({hasText: 'The SID or API key is not right.'}).waitFor();
  await screenshot(page, 'sign-in-error');

  console.log('case: sign in');
  await signIn(page, server.base, server.sid, server.key);
  await page.getByRole('heading', {name: 'Messages'}).waitFor();
  assert.equal(await page.locator('#account-sid').textContent(), server.sid);
  const [cookie] = (await a.cookies()).filter((c) => c.name === 'smsgw_console');
  assert.ok(cookie, 'session cookie set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/console');

  console.log('case: a message sent through the REST API reaches Delivered in the log');
  const id = await send(server, server.sid, server.key, '+919876543210', server.receiverUrl);
  const other = await send(server, server.sid, server.key, '+919876543211');
  const row = page.locator('tr', {hasText: id});
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await row.filter({hasText: 'Delivered'}).count())) {
    assert.ok(Date.now() < deadline, `${id} not Delivered in the log`);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/console/api/messages?')),
      page.getByRole('button', {name: 'Refresh'}).click(),
    ]);
  }
  await page.locator('tr', {hasText: other}).waitFor();
  await screenshot(page, 'messages');

  console.log('case: filter');
  await page.getByLabel('Recipient').fill('+919876543211');
  await page.getByRole('button', {name: 'Apply filters'}).click();
  await page.locator('tr', {hasText: id}).waitFor({state: 'detached'});
  await page.locator('tr', {hasText: other}).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.getByLabel('Recipient').fill('');
  await page.getByLabel('Status').selectOption('NotSent');
  await page.getByRole('button', {name: 'Apply filters'}).click();
  await page.getByText('No messages match.').waitFor();
  await screenshot(page, 'messages-filtered');
  // The time range: nothing from tomorrow on; both messages before it.
  const tomorrow = new Date(Date.now() + 86400000);
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const apply = async () => {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/console/api/messages?')),
      page.getByRole('button', {name: 'Apply filters'}).click(),
    ]);
    assert.equal(answer.status(), 200, await answer.text());
  };
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('From').fill(local(tomorrow));
  await apply();
  await page.getByText('No messages match.').waitFor();
  await page.getByLabel('From').fill('');
  await page.getByLabel('To').fill(local(tomorrow));
  await apply();
  await page.locator('tr', {hasText: id}).waitFor();
  await page.locator('tr', {hasText: other}).waitFor();
  await page.getByLabel('To').fill('');

  console.log('case: open the message and see its history and webhook attempts');
  await page.getByLabel('Status').selectOption('Delivered');
  await page.getByRole('button', {name: 'Apply filters'}).click();
  await page.getByRole('link', {name: id}).click();
  await page.getByRole('heading', {name: 'Status history'}).waitFor();
  const history = page.locator('table', {has: page.locator('caption', {hasText: 'Status changes'})});
  await history.locator('tr', {hasText: 'Delivered'}).waitFor();
  const parts = page.locator('table', {has: page.locator('caption', {hasText: 'Parts'})});
  await parts.locator('tr', {hasText: 'DELIVRD'}).waitFor();
  // The Delivered webhook may be answered after the page loaded: reload until it shows.
  const webhooks = page.locator('table', {has: page.locator('caption', {hasText: 'Webhooks'})});
  const answered = webhooks.locator('tr', {hasText: ': 200 '});
  const until = Date.now() + STEP_TIMEOUT_MS;
  while ((await answered.count()) < 2) {
    assert.ok(Date.now() < until, `${id}: webhook attempts not shown`);
    await page.reload();
    await page.getByRole('heading', {name: 'Webhooks'}).waitFor();
  }
  const facts = page.locator('dl.facts');
  await facts.getByText('Hello +919876543210').waitFor();
  await facts.getByText('919876543210', {exact: true}).waitFor();
  await screenshot(page, 'message');

  console.log('case: replay a webhook from the message page');
  const attempts200 = webhooks.locator('li', {hasText: ': 200 '});
  const before = await attempts200.count();
  const replayed = page.waitForResponse((r) => r.url().includes('/replay'));
  await webhooks.getByRole('button', {name: /^Replay webhook/}).first().click();
  assert.equal((await replayed).status(), 202);
  const replayUntil = Date.now() + STEP_TIMEOUT_MS;
  while ((await attempts200.count()) <= before) {
    assert.ok(Date.now() < replayUntil, `${id}: the replayed webhook was not sent again`);
    await page.reload();
    await page.getByRole('heading', {name: 'Webhooks'}).waitFor();
  }
  await screenshot(page, 'message-replayed');

  console.log('case: cursor paging (50 a page)');
  const bulk = Array.from({length: 49}, (_, i) => `+9198765432${String(i).padStart(2, '0')}`);
  await send(server, server.sid, server.key, bulk.join(','));
  await page.getByRole('link', {name: '← Messages'}).click();
  await page.getByRole('heading', {name: 'Messages'}).waitFor();
  const rows = page.locator('tbody tr');
  await page.getByRole('button', {name: 'Older'}).click();
  await page.locator('tr', {hasText: id}).waitFor();  // the oldest, alone on the second page
  assert.equal(await rows.count(), 1);
  await page.getByRole('button', {name: 'Newest'}).click();
  await page.locator('tr', {hasText: id}).waitFor({state: 'detached'});
  assert.equal(await rows.count(), 50);
  await screenshot(page, 'messages-paged');

  console.log('case: the keyboard reaches the filters\' actions and the top bar, focus visible');
  await page.locator('#main').focus();
  await tabTo(page, /^Apply filters$/);
  await tabTo(page, /^Refresh$/);
  await page.reload();
  await page.getByRole('heading', {name: 'Messages'}).waitFor();
  await tabTo(page, /^Delivery$/);  // the top bar's link, from the top of the page

  console.log('case: the delivery chart renders with data points after a burst');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', {name: 'Delivery', exact: true}).waitFor();
  // The burst above (49 messages, and the ones before) was accepted within the last hour, and the
  // simulator delivers each: refresh until the rollups have them all delivered.
  const chartUntil = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    await page.locator('#chart-counts canvas').first().waitFor();
    const delivered = Number(await page.locator('#total-delivered').textContent());
    if (delivered >= 50) break;
    assert.ok(Date.now() < chartUntil, `delivered in the rollups: ${delivered}`);
    const reloaded = page.waitForResponse((r) => r.url().includes('/console/api/delivery'));
    await page.getByRole('button', {name: 'Refresh'}).click();
    await reloaded;
  }
  assert.ok(Number(await page.locator('#total-accepted').textContent()) >= 50);
  assert.ok(Number(await page.locator('#chart-counts').getAttribute('data-points')) > 0);
  assert.ok(Number(await page.locator('#chart-ratio').getAttribute('data-points')) > 0);
  assert.ok(Number(await page.locator('#chart-delay').getAttribute('data-points')) > 0);
  await page.locator('table', {hasText: 'By connector'}).getByText('sim').first().waitFor();
  await page.locator('table', {hasText: 'Connectors'}).getByText(/bound \(\d\)/).first().waitFor();
  await screenshot(page, 'delivery');
  // One connector's charts: its delivered messages, none accepted (no connector has seen a
  // message when it is accepted); the tables stay over all.
  const connectorOnly = page.waitForResponse((r) => r.url().includes('connector=simulator'));
  await page.getByLabel('Connector', {exact: true}).selectOption('simulator');
  assert.equal((await connectorOnly).status(), 200);
  await page.locator('#delivery-of').filter({hasText: 'connector simulator'}).waitFor();
  assert.equal(await page.locator('#total-accepted').textContent(), '0');
  assert.ok(Number(await page.locator('#total-delivered').textContent()) >= 50);
  assert.ok(Number(await page.locator('#chart-delay').getAttribute('data-points')) > 0);
  await screenshot(page, 'delivery-connector');
  const byType = page.waitForResponse((r) => r.url().includes('type=DEFAULT'));
  await page.getByLabel('Type', {exact: true}).selectOption('DEFAULT');
  assert.equal((await byType).status(), 200);
  await page.locator('#delivery-of').filter({hasText: 'connector simulator and type DEFAULT'}).waitFor();
  const typeOnly = page.waitForResponse((r) => r.url().includes('delivery?') &&
                                              !r.url().includes('connector=') && r.url().includes('type=DEFAULT'));
  await page.getByLabel('Connector', {exact: true}).selectOption('');
  await typeOnly;
  await page.locator('#delivery-of').filter({hasText: /^The charts and totals of type DEFAULT only/}).waitFor();
  const unfiltered = page.waitForResponse((r) => r.url().includes('delivery?') && !r.url().includes('type='));
  await page.getByLabel('Type', {exact: true}).selectOption('');
  await unfiltered;
  await page.locator('#delivery-of').waitFor({state: 'detached'});
  await page.getByRole('button', {name: 'Last week'}).click();
  await page.locator('#chart-counts canvas').first().waitFor();
  assert.equal(await page.getByLabel('Step').inputValue(), 'hour');
  assert.ok(Number(await page.locator('#chart-counts').getAttribute('data-points')) > 0);
  await screenshot(page, 'delivery-week');

  console.log('case: templates: an invalid field shows the API\'s error beside it; a valid one is listed');
  page.on('dialog', (dialog) => dialog.accept());  // Delete asks first
  await page.getByRole('link', {name: 'Templates'}).click();
  await page.getByRole('heading', {name: 'Templates', exact: true}).waitFor();
  await page.getByText('No templates yet.').waitFor();
  const templateId = page.getByLabel('Template ID');
  await templateId.fill('12');
  await page.getByLabel('Text', {exact: true}).fill('Your OTP is {#otp#}');
  // Submitted from the keyboard: the form's button is reached with Tab, Enter presses it.
  await page.locator('#main').focus();
  await tabTo(page, /^Add template$/);
  await page.keyboard.press('Enter');
  // The reason is the API's (E412), under the field it names, and the field is marked.
  await page.locator('#templates-new-template_id-error')
      .filter({hasText: 'template_id must be 12-30 digits.'}).waitFor();
  assert.equal(await templateId.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#templates-new-text-error').textContent(), '');
  await screenshot(page, 'templates-error');
  await templateId.fill('1107161234567890123');
  await page.getByRole('button', {name: 'Add template'}).click();
  const templateRow = page.locator('tr', {hasText: '1107161234567890123'});
  await templateRow.filter({hasText: 'Your OTP is {#otp#}'}).waitFor();
  await page.getByRole('button', {name: 'Edit 1107161234567890123'}).click();
  const editTemplate = page.getByRole('form', {name: 'Edit 1107161234567890123'});
  await editTemplate.getByLabel('Name', {exact: true}).fill('login');
  await editTemplate.getByRole('button', {name: 'Save'}).click();
  await templateRow.filter({hasText: 'login'}).waitFor();
  await screenshot(page, 'templates');
  // The API sees the console's template: a send naming it is checked against its text.
  const viaApi = await fetch(`${server.base}/ext/v1/${server.sid}/templates/1107161234567890123`,
                             {headers: {'api-key': server.key}});
  assert.equal((await viaApi.json()).name, 'login');

  console.log('case: sender IDs: registered, the error of one field beside it, deleted');
  await page.getByRole('link', {name: 'Sender IDs'}).click();
  await page.getByRole('heading', {name: 'Sender IDs'}).waitFor();
  await page.getByLabel('Sender ID', {exact: true}).fill('ACMEIN');
  await page.getByLabel('Country (ISO code)').fill('India');
  await page.getByRole('button', {name: 'Add sender ID'}).click();
  await page.locator('#senders-new-iso_code-error').filter({hasText: 'iso_code must be'}).waitFor();
  await page.getByLabel('Country (ISO code)').fill('IN');
  await page.getByRole('button', {name: 'Add sender ID'}).click();
  await page.locator('tr', {hasText: 'ACMEIN'}).filter({hasText: 'IN'}).waitFor();
  await screenshot(page, 'senders');
  await page.getByRole('button', {name: 'Delete ACMEIN'}).click();
  await page.getByText('No sender IDs yet.').waitFor();

  console.log('case: callback profiles: created with a password that is never shown');
  await page.getByRole('link', {name: 'Callback profiles'}).click();
  await page.getByRole('heading', {name: 'Callback profiles'}).waitFor();
  await page.getByLabel('Name', {exact: true}).fill('crm');
  await page.getByLabel('URL', {exact: true}).fill('ftp://example.com/');
  await page.getByRole('button', {name: 'Add callback profile'}).click();
  await page.locator('#callback-profiles-new-url-error').filter({hasText: /./}).waitFor();
  await page.getByLabel('URL', {exact: true}).fill(server.receiverUrl);
  await page.getByLabel('Authentication', {exact: true}).selectOption('basic');
  await page.getByLabel('Username (basic)').fill('smsgw');
  await page.getByLabel('Password (basic)').fill('s3cret-never-shown');
  await page.getByRole('button', {name: 'Add callback profile'}).click();
  const profileRow = page.locator('tr', {hasText: server.receiverUrl});
  await profileRow.filter({hasText: 'basic'}).waitFor();
  const profileId = (await profileRow.locator('code').textContent()).trim();
  // Edited without touching the password: the stored one stays (the API keeps a masked value).
  await page.getByRole('button', {name: `Edit ${profileId}`}).click();
  const editProfile = page.getByRole('form', {name: `Edit ${profileId}`});
  await editProfile.getByLabel('The account\'s default profile').check();
  await editProfile.getByRole('button', {name: 'Save'}).click();
  await profileRow.filter({hasText: 'yes'}).waitFor();
  assert.doesNotMatch(await page.content(), /s3cret-never-shown/);
  await screenshot(page, 'callback-profiles');

  console.log('case: callback profiles: "Send test webhook" sends a signed test to the receiver and shows its answer');
  const secret = await fetch(`${server.base}/ext/v1/${server.sid}/webhook-secret`, {
    method: 'PUT',
    headers: {'api-key': server.key, 'Content-Type': 'application/json'},
    body: JSON.stringify({secret: 'a-long-random-string-of-yours'}),
  });
  assert.equal(secret.status, 204);
  const outcome = page.locator('#callback-profiles-outcome');
  await page.getByRole('button', {name: `Send test webhook ${profileId}`}).click();
  await outcome.filter({hasText: /^Test webhook delivered: HTTP 200 \(POST .*, \d+ ms, signed\)\.$/}).waitFor();
  const tests = server.receiver.requests.filter((r) => r.headers['x-smsgw-test'] === '1');
  assert.equal(tests.length, 1);
  assert.equal(tests[0].headers.authorization,
               `Basic ${Buffer.from('smsgw:s3cret-never-shown').toString('base64')}`);
  assert.match(tests[0].headers['x-smsgw-signature'], /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.equal(JSON.parse(tests[0].body).status_trace, 'TEST');
  await screenshot(page, 'callback-profiles-test-delivered');
  // A receiver that is not there: the failure, and why.
  const gone = `http://127.0.0.1:${await closedPort()}/gone`;
  await page.getByLabel('Name', {exact: true}).fill('gone');
  await page.getByLabel('URL', {exact: true}).fill(gone);
  await page.getByRole('button', {name: 'Add callback profile'}).click();
  const goneRow = page.locator('tr', {hasText: gone});
  await goneRow.waitFor();
  const goneId = (await goneRow.locator('code').textContent()).trim();
  await page.getByRole('button', {name: `Send test webhook ${goneId}`}).click();
  await outcome.filter({hasText: /^Test webhook failed: connection refused \(POST /}).waitFor();
  await screenshot(page, 'callback-profiles-test-failed');

  console.log('case: inbound numbers: a profile of another shape refused beside its field, then added');
  await page.getByRole('link', {name: 'Inbound numbers'}).click();
  await page.getByRole('heading', {name: 'Inbound numbers'}).waitFor();
  await page.getByLabel('Number', {exact: true}).fill('+14155550123');
  await page.getByLabel('Keyword', {exact: true}).fill('join');
  await page.getByLabel('Callback profile ID').fill('nope');
  await page.getByRole('button', {name: 'Add inbound number'}).click();
  await page.locator('#inbound-numbers-new-callback_profile_id-error').filter({hasText: /./}).waitFor();
  await page.getByLabel('Callback profile ID').fill(profileId);
  await page.getByRole('button', {name: 'Add inbound number'}).click();
  await page.locator('tr', {hasText: '14155550123'}).filter({hasText: 'JOIN'}).waitFor();
  // One delivered to the account's SMPP binds instead of a webhook.
  await page.getByLabel('Number', {exact: true}).fill('56767');
  await page.getByLabel('Keyword', {exact: true}).fill('');
  await page.getByLabel('Callback profile ID').fill('');
  await page.getByLabel('Deliver to').selectOption('smpp');
  await page.getByRole('button', {name: 'Add inbound number'}).click();
  await page.locator('tr', {hasText: '56767'}).filter({hasText: 'SMPP binds'}).waitFor();
  await screenshot(page, 'inbound-numbers');

  console.log('case: API keys: a new key shown once works on the REST API; revoked, it does not');
  const restStatus = async (key) => (await fetch(`${server.base}/ext/v1/${server.sid}/templates`,
                                                 {headers: {'api-key': key}})).status;
  await page.getByRole('link', {name: 'API keys'}).click();
  await page.getByRole('heading', {name: 'API keys'}).waitFor();
  const keyRows = page.locator('tbody tr');
  await keyRows.filter({hasText: 'this session\'s key'}).waitFor();
  assert.equal(await keyRows.count(), 1);
  await page.getByRole('button', {name: 'Create a key'}).click();
  const newKey = await page.locator('#new-key').inputValue();
  assert.match(newKey, /^A[0-9a-f]{32}$/);
  await keyRows.nth(1).waitFor();
  assert.doesNotMatch(await page.locator('table').innerText(), new RegExp(newKey));
  assert.equal(await restStatus(newKey), 200);
  await screenshot(page, 'keys');
  await keyRows.filter({hasNotText: 'this session\'s key'}).getByRole('button', {name: /^Revoke/})
      .click();
  await keyRows.nth(1).waitFor({state: 'detached'});
  assert.equal(await restStatus(newKey), 401);
  assert.equal(await restStatus(server.key), 200);
  await page.reload();  // the key is gone from the page for good
  await keyRows.first().waitFor();
  assert.equal(await keyRows.count(), 1);

  console.log('case: send a test SMS: the server counts GSM-7 and UCS-2 parts as it is typed');
  await page.getByRole('link', {name: 'Send a test SMS'}).click();
  await page.getByRole('heading', {name: 'Send a test SMS'}).waitFor();
  const counter = page.locator('#segments');
  const body = page.getByLabel('Message', {exact: true});
  await body.fill('a'.repeat(160));
  await counter.filter({hasText: 'GSM-7: 160 characters, 160 septets, 1 part.'}).waitFor();
  await body.press('End');
  await body.press('b');  // the 161st character: two parts of 153
  await counter.filter({hasText: 'GSM-7: 161 characters, 161 septets, 2 parts.'}).waitFor();
  await body.fill('Привет, ' + 'a'.repeat(62));  // 70 UCS-2 units: one part; 71: two
  await counter.filter({hasText: 'UCS-2: 70 characters, 70 UTF-16 units, 1 part.'}).waitFor();
  await body.press('End');
  await body.press('!');
  await counter.filter({hasText: 'UCS-2: 71 characters, 71 UTF-16 units, 2 parts.'}).waitFor();
  // GSM-7 only cannot carry Cyrillic: the text module's reason, beside the Encoding field.
  await page.getByLabel('Encoding', {exact: true}).selectOption('0');
  await page.locator('#send-unicode-error').filter({hasText: /./}).waitFor();
  await page.getByLabel('Encoding', {exact: true}).selectOption('AUTO');
  await page.locator('#send-unicode-error').filter({hasText: /./}).waitFor({state: 'detached'});
  // Sent through the send API: its validation first, then a message in the log.
  await page.getByLabel('To', {exact: true}).fill('12');
  await page.getByLabel('Sender', {exact: true}).fill('SMSGW');
  await page.getByRole('button', {name: 'Send', exact: true}).click();
  await page.locator('#send-to-error').filter({hasText: /./}).waitFor();
  await page.getByLabel('To', {exact: true}).fill('+919876543299');
  await page.getByRole('button', {name: 'Send', exact: true}).click();
  const sentLink = page.getByRole('link', {name: /:/});
  await sentLink.first().waitFor();
  await screenshot(page, 'send');
  await sentLink.first().click();
  await page.getByRole('heading', {name: 'Status history'}).waitFor();
  await page.locator('dl.facts').getByText('919876543299', {exact: true}).waitFor();

  console.log('case: every page at a phone\'s width (390×844): usable, nav reachable');
  const phone = await browser.newContext({viewport: {width: 390, height: 844}, isMobile: true,
                                          hasTouch: true});
  phone.setDefaultTimeout(STEP_TIMEOUT_MS);
  const onPhone = await phone.newPage();
  await signIn(onPhone, server.base, server.sid, server.key);
  await onPhone.getByRole('heading', {name: 'Messages'}).waitFor();
  await onPhone.locator('tbody tr').first().waitFor();
  await screenshot(onPhone, 'messages-phone');
  await onPhone.locator('tbody tr a').first().click();
  await onPhone.getByRole('heading', {name: 'Status history'}).waitFor();
  await screenshot(onPhone, 'message-phone');
  const phonePages = [
    ['Delivery', 'delivery-phone', () => onPhone.locator('#chart-counts canvas').first().waitFor()],
    ['Templates', 'templates-phone', () => onPhone.locator('tr', {hasText: '1107161234567890123'}).waitFor()],
    ['Sender IDs', 'senders-phone', () => onPhone.getByText('No sender IDs yet.').waitFor()],
    ['Callback profiles', 'callback-profiles-phone', () => onPhone.locator('tr', {hasText: server.receiverUrl}).waitFor()],
    ['Inbound numbers', 'inbound-numbers-phone', () => onPhone.locator('tr', {hasText: 'JOIN'}).waitFor()],
    ['API keys', 'keys-phone', () => onPhone.locator('tbody tr').first().waitFor()],
    ['Send a test SMS', 'send-phone-account', () => onPhone.getByLabel('Message', {exact: true}).waitFor()],
  ];
  for (const [link, name, ready] of phonePages) {
    await onPhone.getByRole('link', {name: link, exact: true}).tap();
    await onPhone.getByRole('heading', {name: link === 'Delivery' ? 'Delivery' : link, exact: true}).waitFor();
    await ready();
    await screenshot(onPhone, name);
  }
  // The test webhook's answer fits the phone's width too.
  await onPhone.getByRole('link', {name: 'Callback profiles', exact: true}).tap();
  await onPhone.getByRole('button', {name: `Send test webhook ${profileId}`}).tap();
  await onPhone.locator('#callback-profiles-outcome').filter({hasText: 'Test webhook delivered'}).waitFor();
  await screenshot(onPhone, 'callback-profiles-test-phone');
  await phone.close();

  console.log('case: POST and DELETE without the CSRF token are refused');
  const refused = await page.evaluate(async (messageId) => {
    const cancel = await fetch(`/console/api/messages/${encodeURIComponent(messageId)}/cancel`,
                               {method: 'POST'});
    const wrong = await fetch(`/console/api/messages/${encodeURIComponent(messageId)}/cancel`,
                              {method: 'POST', headers: {'X-CSRF-Token': 'f'.repeat(64)}});
    const signOut = await fetch('/console/api/session', {method: 'DELETE'});
    const still = await fetch('/console/api/session');
    return [cancel.status, wrong.status, signOut.status, (await still.json()).signed_in];
  }, id);
  assert.deepEqual(refused, [403, 403, 403, true]);

  console.log('case: a second account cannot see the first one\'s message');
  const created = JSON.parse(execFileSync(binary, ['account', 'create', '--name', 'other',
                                                   '--data', server.dataDir, '--json']));
  const b = await browser.newContext({viewport: {width: 390, height: 844}});  // a phone
  b.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pageB = await b.newPage();
  await signIn(pageB, server.base, created.sid, created.api_key);
  await pageB.getByRole('heading', {name: 'Messages'}).waitFor();
  await pageB.getByText('No messages match.').waitFor();
  await screenshot(pageB, 'messages-phone-other-account');
  const detail = pageB.waitForResponse((r) => r.url().includes('/console/api/messages/'));
  await pageB.goto(`${server.base}/console/#/messages/${encodeURIComponent(id)}`);
  assert.equal((await detail).status(), 404);
  await pageB.getByRole('alert').filter({hasText: 'Message not found.'}).waitFor();
  await screenshot(pageB, 'message-other-account');
  // Nor its template; the registry pages at a phone's width.
  await pageB.getByRole('link', {name: 'Templates'}).click();
  await pageB.getByText('No templates yet.').waitFor();
  await screenshot(pageB, 'templates-phone-other-account');
  await pageB.getByRole('link', {name: 'Send a test SMS'}).click();
  await pageB.getByLabel('Message', {exact: true}).fill('Hello €');  // € is a GSM-7 extension
  await pageB.locator('#segments').filter({hasText: 'GSM-7: 7 characters, 8 septets, 1 part.'}).waitFor();
  await screenshot(pageB, 'send-phone');
  // Nor by signing in with its key for the first account's SID.
  await b.clearCookies();
  await signIn(pageB, server.base, server.sid, created.api_key);
  await pageB.getByRole('alert').filter({hasText: 'not right'}).waitFor();
  await screenshot(pageB, 'sign-in-phone-error');
  // Revoking the key a session signed in with ends that session.
  await signIn(pageB, server.base, created.sid, created.api_key);
  await pageB.getByRole('heading', {name: 'Messages'}).waitFor();
  pageB.on('dialog', (dialog) => dialog.accept());
  await pageB.getByRole('link', {name: 'API keys'}).click();
  await pageB.getByRole('button', {name: /^Revoke/}).click();
  await pageB.getByRole('heading', {name: 'Sign in'}).waitFor();
  assert.equal((await fetch(`${server.base}/ext/v1/${created.sid}/templates`,
                            {headers: {'api-key': created.api_key}})).status, 401);
  await b.close();

  console.log('case: sign out');
  await page.getByRole('button', {name: 'Sign out'}).click();
  await page.getByRole('heading', {name: 'Sign in'}).waitFor();
  const after = await page.evaluate(async () => (await fetch('/console/api/messages')).status);
  assert.equal(after, 401);
  await screenshot(page, 'signed-out');

  console.log('case: sign in with a console password set with the CLI');
  execFileSync(binary, ['console-password', 'set', '--sid', server.sid, '--data', server.dataDir],
               {input: 'a long console password\n'});
  await page.goto(`${server.base}/console/`);  // no page fragment left from before
  await page.getByLabel('Account SID').fill(server.sid);
  await page.getByLabel('Sign in with').selectOption('password');
  await page.getByLabel('Password', {exact: true}).fill('a long console passwore');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({hasText: 'The SID or password is not right.'}).waitFor();
  await page.getByLabel('Password', {exact: true}).fill('a long console password');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', {name: 'Messages'}).waitFor();
  assert.equal(await page.locator('#account-sid').textContent(), server.sid);
  await screenshot(page, 'messages-password-session');

  console.log('case: a console password removed with the CLI ends its sessions and signs in no more');
  execFileSync(binary, ['console-password', 'remove', '--sid', server.sid, '--data', server.dataDir]);
  await page.getByRole('link', {name: 'Delivery', exact: true}).click();
  await page.getByRole('heading', {name: 'Sign in'}).waitFor();
  await page.getByLabel('Account SID').fill(server.sid);
  await page.getByLabel('Sign in with').selectOption('password');
  await page.getByLabel('Password', {exact: true}).fill('a long console password');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({hasText: 'The SID or password is not right.'}).waitFor();
  await screenshot(page, 'sign-in-password-removed');
  assert.throws(() => execFileSync(binary, ['console-password', 'remove', '--sid', server.sid,
                                            '--data', server.dataDir], {stdio: 'pipe'}),
                /has no console password/);
  await a.close();

  // Last: it locks this source out of sign-in for the rest of the limit's window.
  console.log('case: failed sign-ins from one source are limited, whatever it claims to be');
  const pre = await fetch(`${server.base}/console/api/session`);
  const csrf = (await pre.json()).csrf;
  const preCookie = pre.headers.get('set-cookie').split(';')[0];
  const tryOnce = (sid, extra = {}) => fetch(`${server.base}/console/api/session`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Cookie: preCookie, ...extra},
    body: JSON.stringify({sid, password: 'not the password at all'}),
  });
  // [console] sign_in_failures_per_source (25 here, 30 by default) in 5 minutes; four of this
  // run's cases failed on purpose already.
  let refusedAt = 0;
  for (let i = 1; i <= 30 && !refusedAt; ++i) {
    const status = (await tryOnce(`HXSG00000000${String(i).padStart(2, '0')}SG`)).status;
    if (status === 429) refusedAt = i;
    else assert.equal(status, 401);
  }
  assert.equal(refusedAt, SIGN_IN_FAILURES_PER_SOURCE - 4 + 1, `refused after ${refusedAt} failures`);
  const limited = await tryOnce(server.sid, {'X-Smsgw-Peer': '10.9.9.9'});
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.match((await limited.json()).message, /^Too many failed sign-ins; try again in \d+ seconds\.$/);
}

async function main() {
  fs.mkdirSync(outDir, {recursive: true});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-console-'));
  let server;
  let browser;
  let receiver;
  const started = Date.now();
  try {
    receiver = await startReceiver();
    server = await startServer(dataDir);
    server.dataDir = dataDir;
    server.receiverUrl = receiver.url;
    server.receiver = receiver;
    browser = await chromium.launch({executablePath: browserPath, headless: true});
    await run(server, browser);
    console.log(`all cases passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`screenshots:\n${shots.join('\n')}`);
  } catch (e) {
    console.error(e);
    if (server) console.error(`smsgw stderr:\n${server.stderr()}`);
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close();  // playwright stops the browser process it started
    await stopByPid(server && server.child);
    if (receiver) receiver.server.close();
    fs.rmSync(dataDir, {recursive: true, force: true});
  }
}

main();
