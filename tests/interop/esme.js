'use strict';
// A customer's ESME for the SMPP-server tests (smpp_server_*_test.js, npm_esme_concat_test.js,
// npm_esme_mo_test.js, npm_esme_vs_smpp_server_test.js), written with the npm `smpp` package: connect, one request and its
// response, a pipelined burst at a fixed window, receipts collected and answered; and what the
// scripts need around `smsgw serve`: the SMPP port it printed, the CLI, and message statuses
// through the REST API. Every wait has a deadline.

const { execFileSync } = require('child_process');

const { loadSmpp, sleep, request } = require('./harness');

const smpp = loadSmpp();

// The SMPP server's port once `serve` printed it.
async function smppPort(proc, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const m = /SMPP server on 127\.0\.0\.1:(\d+)/.exec(proc.stdout);
    if (m) return Number(m[1]);
    await sleep(20);
  }
  throw new Error('serve did not print its SMPP server line: ' + proc.stdout);
}

// A connected session (no automatic enquire_link); rejects on an error or after 5 s. `closed`
// becomes true when the connection closes.
function connect(port) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), 5000);
    const session = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 },
                                 () => { clearTimeout(timer); resolve(session); });
    session.closed = false;
    session.on('error', (e) => { clearTimeout(timer); reject(e); });
    session.on('close', () => { session.closed = true; });
  });
}

// One request and its response (generic_nack included); rejects after 10 s or on close.
function call(session, command, fields) {
  return new Promise((resolve, reject) => {
    const onClose = () => { clearTimeout(timer); reject(new Error(`${command}: closed`)); };
    const timer = setTimeout(() => {
      session.removeListener('close', onClose);
      reject(new Error(`${command}: no response`));
    }, 10000);
    session.once('close', onClose);
    session[command](fields, (pdu) => {
      clearTimeout(timer);
      session.removeListener('close', onClose);
      resolve(pdu);
    });
  });
}

// Submits `count` messages (fields from `fieldsOf(n)`) keeping `window` unanswered at once, as a
// customer at full window does. `onResponse(n, pdu)` sees every submit_sm_resp. Resolves when all
// are answered or the session closed: { answered, unanswered } (sent without an answer).
function submitAtWindow(session, count, window, fieldsOf, onResponse) {
  return new Promise((resolve) => {
    let sent = 0;
    let answered = 0;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve({ answered, unanswered: sent - answered });
      }
    };
    const next = () => {
      while (!session.closed && sent < count && sent - answered < window) {
        const n = sent++;
        session.submit_sm(fieldsOf(n), (pdu) => {
          answered++;
          onResponse(n, pdu);
          if (answered === count) finish();
          else next();
        });
      }
    };
    session.once('close', finish);
    next();
  });
}

// Collects the deliver_sm `session` receives, answering each at once with ESME_ROK; each entry
// is { id: receipted_message_id, at: Date.now() }.
function collectReceipts(session) {
  const got = [];
  session.on('deliver_sm', (pdu) => {
    got.push({ id: pdu.receipted_message_id, esm_class: pdu.esm_class, at: Date.now() });
    session.send(pdu.response());
  });
  return got;
}

async function waitFor(predicate, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !predicate()) await sleep(50);
  return predicate();
}

// The statuses (Kaleyra's words) of `ids` through GET /v1/{sid}/messages/status, 100 at a time:
// { id: status }; an id the store does not have is "NotFound".
async function statuses(port, account, ids) {
  const out = {};
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100);
    const r = await request(port, 'GET', `/v1/${account.sid}/messages/status?message_ids=` +
                            encodeURIComponent(batch.join(',')), account.api_key);
    if (r.status !== 200) throw new Error(`status: HTTP ${r.status} ${r.body}`);
    for (const item of JSON.parse(r.body).data) out[item.campaign_id] = item.status;
  }
  return out;
}

// Polls until every id is Delivered or `ms` passed; resolves the last statuses.
async function waitDelivered(port, account, ids, ms) {
  const deadline = Date.now() + ms;
  let last = {};
  while (Date.now() < deadline) {
    last = await statuses(port, account, ids);
    if (ids.every((id) => last[id] === 'Delivered')) break;
    await sleep(200);
  }
  return last;
}

function cli(binary, args) {
  return JSON.parse(execFileSync(binary, args, { timeout: 30000 }));
}

const statusName = (status) =>
  Object.keys(smpp.errors).find((k) => smpp.errors[k] === status) || String(status);

module.exports = {
  smpp, smppPort, connect, call, submitAtWindow, collectReceipts, waitFor, statuses,
  waitDelivered, cli, statusName,
};
