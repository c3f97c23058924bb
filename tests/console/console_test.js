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

// A webhook receiver on 127.0.0.1 that answers 200 to everything; resolves with its URL.
function startReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({server, url: `http://127.0.0.1:${server.address().port}/hook`}));
  });
}

// Starts `smsgw serve` and resolves with its base URL and the first account's SID and key, read
// from its stdout as a person would. Webhooks may call 127.0.0.1 (the receiver).
function startServer(dataDir) {
  const config = path.join(dataDir, 'smsgw.toml');
  fs.writeFileSync(config, '[webhooks]\nallow_targets = ["127.0.0.1"]\n');
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

const shots = [];
async function screenshot(page, name) {
  // Nothing rendered from a value that is not text (a stray null, an element turned to a string).
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\[object /, `${name}: ${text}`);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  shots.push(file);
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
  // Nor by signing in with its key for the first account's SID.
  await b.clearCookies();
  await signIn(pageB, server.base, server.sid, created.api_key);
  await pageB.getByRole('alert').filter({hasText: 'not right'}).waitFor();
  await b.close();

  console.log('case: sign out');
  await page.getByRole('button', {name: 'Sign out'}).click();
  await page.getByRole('heading', {name: 'Sign in'}).waitFor();
  const after = await page.evaluate(async () => (await fetch('/console/api/messages')).status);
  assert.equal(after, 401);
  await screenshot(page, 'signed-out');
  await a.close();
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
