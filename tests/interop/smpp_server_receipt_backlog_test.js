'use strict';
// Proof (issue 17): 1,000 receipts come back while the customer is not bound; all of them reach
// it after it binds again, in order, none twice. Usage:
// node smpp_server_receipt_backlog_test.js /path/to/smsgw
//
// The customer is an ESME written with the npm `smpp` package. It binds as transmitter (which
// never gets a deliver_sm), submits 1,000 messages with registered_delivery 1 at a window of 100,
// and unbinds. The embedded simulator delivers them with a 50 ms receipt delay, so the 1,000
// receipts come back while no receiver is bound and wait in the account's SMPP outbox: the test
// waits until the REST API shows all 1,000 Delivered (no fixed minute of waiting). Then it binds
// a receiver and answers every deliver_sm at once with ESME_ROK, and checks:
// - all 1,000 receipts arrive, each for one of the submitted messages, as a receipt (0x04);
// - in order: the outbox of an account is kept in the order of its status changes, which is the
//   order of the Delivered events' ids (UUIDv7, whose first 48 bits are the milliseconds at which
//   the store wrote the event, in the transaction that wrote the outbox row); the receipts must
//   arrive with those milliseconds never going back;
// - none twice. A receipt is sent again only when its deliver_sm_resp did not come back within
//   deliver_timeout (2 s here) or the link dropped before it did. The test answers each one as it
//   arrives, on a link that stays up (it fails if the receiver's connection closes), so no answer
//   can be lost: a repeat is a failure, not the at-least-once allowance. After the 1,000th it
//   waits past deliver_timeout to see that nothing more comes.
// Bounded: an overall deadline of 80 s (about 20 s under ASan); serve is stopped by PID.

const fs = require('fs');
const os = require('os');
const path = require('path');

const {
  binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
} = require('./harness');
const {
  smppPort, connect, call, submitAtWindow, collectReceipts, waitFor, waitDelivered, cli,
  statusName,
} = require('./esme');

const binary = binaryArgument('smpp_server_receipt_backlog_test.js');
const { check, summary } = makeChecker();

const kMessages = 1000;
const kWindow = 100;

let serve = null;
overallDeadline(80000, () => serve && serve.child.kill('SIGKILL'));

// The millisecond (UUIDv7 time) of the message's Delivered event, from its history.
async function deliveredAt(port, account, id) {
  const r = await request(port, 'GET', `/ext/v1/${account.sid}/messages/${encodeURIComponent(id)}`,
                          account.api_key);
  if (r.status !== 200) throw new Error(`message ${id}: HTTP ${r.status}`);
  const event = JSON.parse(r.body).history.find((h) => h.status === 'Delivered');
  if (!event) throw new Error(`message ${id}: no Delivered event`);
  return parseInt(event.event_id.replace(/-/g, '').slice(0, 12), 16);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-smppd-backlog-'));
  try {
    const config = path.join(dir, 'smsgw.toml');
    fs.writeFileSync(config, '[simulator]\nreceipt_delay = "50ms"\n' +
                             `[smpp_server]\nlisten = "127.0.0.1:0"\nwindow = ${kWindow}\n` +
                             'deliver_timeout = "2s"\n');
    const account = cli(binary, ['account', 'create', '--name', 'backlog', '--data', dir, '--json']);
    const cred = cli(binary, ['smpp-credential', 'create', '--sid', account.sid, '--data', dir,
                              '--json']);
    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const port = await smppPort(serve);

    // ---- submit 1,000 as a transmitter, then go away ----
    const tx = await connect(port);
    const txReceipts = collectReceipts(tx);
    const bound = await call(tx, 'bind_transmitter',
                             { system_id: cred.system_id, password: cred.password });
    check('transmitter bound', bound.command_status === 0, statusName(bound.command_status));
    const ids = [];
    const refused = {};
    const started = Date.now();
    await submitAtWindow(tx, kMessages, kWindow, (n) => ({
      source_addr: 'SMSGW', dest_addr_ton: 1, dest_addr_npi: 1,
      destination_addr: `1415556${String(n).padStart(4, '0')}`,
      short_message: `backlog ${n}`, registered_delivery: 1,
    }), (n, pdu) => {
      if (pdu.command_status === 0) {
        ids.push(pdu.message_id);
      } else {
        const name = statusName(pdu.command_status);
        refused[name] = (refused[name] || 0) + 1;
      }
    });
    console.log(`# ${ids.length} submits acknowledged in ${Date.now() - started} ms`);
    check(`all ${kMessages} submits acknowledged`, ids.length === kMessages,
          `${ids.length}, refused ${JSON.stringify(refused)}`);
    await call(tx, 'unbind', {});
    check('the transmitter got no deliver_sm', txReceipts.length === 0);

    // ---- the receipts come back while nobody is bound ----
    const settled = Date.now();
    const final = await waitDelivered(serve.port, account, ids, 40000);
    const pending = ids.filter((id) => final[id] !== 'Delivered');
    check(`all ${kMessages} Delivered while the customer is away`, pending.length === 0,
          `${pending.length} not, e.g. ${pending[0]}: ${final[pending[0]]}`);
    console.log(`# Delivered ${Date.now() - settled} ms after the unbind`);

    // ---- the customer comes back ----
    const rx = await connect(port);
    const receipts = collectReceipts(rx);
    const rxBound = await call(rx, 'bind_receiver',
                               { system_id: cred.system_id, password: cred.password });
    check('receiver bound', rxBound.command_status === 0, statusName(rxBound.command_status));
    const back = Date.now();
    await waitFor(() => receipts.length >= kMessages, 20000);
    console.log(`# ${receipts.length} receipts in ${Date.now() - back} ms after the bind`);
    const want = new Set(ids);
    const unique = new Set(receipts.map((r) => r.id));
    check(`all ${kMessages} receipts arrive after the rebind`,
          ids.every((id) => unique.has(id)), `${[...unique].filter((id) => want.has(id)).length}`);
    check('each for a submitted message, as a delivery receipt (esm_class 0x04)',
          receipts.every((r) => want.has(r.id) && r.esm_class === 4));

    // In order: the Delivered events' milliseconds never go back along the arrival order.
    const at = {};
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(ids.slice(i, i + 8).map(async (id) => {
        at[id] = await deliveredAt(serve.port, account, id);
      }));
    }
    let backwards = null;
    const firsts = receipts.filter((r, i) => receipts.findIndex((x) => x.id === r.id) === i);
    for (let i = 1; i < firsts.length; ++i) {
      if (at[firsts[i].id] < at[firsts[i - 1].id]) {
        backwards = `#${i} ${firsts[i].id} (${at[firsts[i].id]}) after ` +
                    `${firsts[i - 1].id} (${at[firsts[i - 1].id]})`;
        break;
      }
    }
    check('in the order of their status changes', backwards === null, backwards);

    // None twice: every deliver_sm was answered at once on a link that stayed up.
    await sleep(3000);  // past deliver_timeout (2 s): anything unanswered would have come again
    check('the receiver\'s link stayed up (no answer could be lost)', !rx.closed);
    check('none twice', receipts.length === kMessages && unique.size === kMessages,
          `${receipts.length} deliver_sm for ${unique.size} messages`);
    await call(rx, 'unbind', {});

    const code = await stopServe(serve);
    check('serve stops with exit 0', code === 0, `exit ${code}`);
    serve = null;
  } finally {
    if (serve) serve.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => process.exit(summary()));
