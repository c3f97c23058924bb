'use strict';
// Interop: SMPP over TLS. The whole gateway (`smsgw serve` with an [[smsc]] connector that has
// tls = true) against a TLS SMSC written with the npm `smpp` package (Node's own TLS), with a
// self-signed certificate the script makes with the openssl command.
// Usage: node npm_smsc_tls_test.js /path/to/smsgw
//
// 1. The connector trusts the SMSC's certificate (tls_ca_file): it binds over TLS, a message is
//    submitted and its receipt makes it Delivered.
// 2. A connector that trusts another certificate refuses the handshake: nothing is submitted and
//    serve says why.
// Exits 0 only if every check passed. Bounded: every wait has a deadline; serve is stopped by PID.

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const {
  loadSmpp, binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
} = require('./harness');

const smpp = loadSmpp();
const binary = binaryArgument('npm_smsc_tls_test.js');
const { check, summary } = makeChecker();

let serve = null;
overallDeadline(150000, () => serve && serve.child.kill('SIGKILL'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-interop-tls-'));

// A self-signed certificate for 127.0.0.1, valid a day.
function makeCertificate(name) {
  const key = path.join(dir, `${name}-key.pem`);
  const cert = path.join(dir, `${name}-cert.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                           '-nodes', '-keyout', key, '-out', cert, '-days', '1',
                           '-subj', `/CN=${name}`,
                           '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
               { stdio: 'ignore', timeout: 30000 });
  return { key, cert };
}

// ---- the SMSC ----

let nextId = 0x100;
const submits = [];
const encrypted = [];
const smscCert = makeCertificate('smsc');
const server = smpp.createServer(
  { key: fs.readFileSync(smscCert.key), cert: fs.readFileSync(smscCert.cert) },
  (session) => {
    encrypted.push(Boolean(session.socket.encrypted));
    session.on('error', () => {});
    session.on('bind_transceiver', (pdu) => session.send(pdu.response({ system_id: 'npm-tls' })));
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu) => {
      submits.push(pdu);
      const id = (nextId++).toString(16);
      session.send(pdu.response({ message_id: id }));
      setTimeout(() => session.deliver_sm({
        source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 0x04,
        short_message: `id:${id} sub:001 dlvrd:001 submit date:2612050100 ` +
                       'done date:2612050101 stat:DELIVRD err:000 text:',
      }), 20);
    });
  });
server.on('tlsClientError', () => {});

// ---- serve ----

// Starts serve on a fresh data dir with a TLS connector trusting `caFile`; resolves what
// startServe does, with the account it created.
async function startTlsServe(name, smscPort, caFile) {
  const data = fs.mkdtempSync(path.join(dir, `${name}-`));
  const config = path.join(data, 'smsgw.toml');
  fs.writeFileSync(config, `[simulator]\nenabled = false\n[[smsc]]\nname = "tls"\n` +
                           `host = "127.0.0.1"\nport = ${smscPort}\nsystem_id = "gateway"\n` +
                           `tls = true\ntls_ca_file = "${caFile}"\n`);
  const account = JSON.parse(execFileSync(binary, ['account', 'create', '--name', 'tls', '--data',
                                                   data, '--json'], { timeout: 30000 }));
  serve = await startServe(binary, ['--data', data, '--config', config]);
  serve.account = account;
  return serve;
}

async function stopTlsServe() {
  const code = await stopServe(serve);
  serve = null;
  return code;
}

async function main() {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const smscPort = server.address().port;

  // 1. Trusted: bound over TLS, submitted, delivered.
  let s = await startTlsServe('trusted', smscPort, smscCert.cert);
  const sent = await request(s.port, 'POST', `/v1/${s.account.sid}/messages`, s.account.api_key,
                             JSON.stringify({ to: '+14155550121', sender: 'SMSGW', body: 'Over TLS' }));
  check('trusted: accepted', sent.status === 200, `${sent.status} ${sent.body}`);
  const id = sent.status === 200 ? JSON.parse(sent.body).data[0].message_id : '';
  let status = {};
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const r = await request(s.port, 'GET', `/v1/${s.account.sid}/messages/status?message_ids=` +
                                           encodeURIComponent(id), s.account.api_key);
    status = JSON.parse(r.body).data[0];
    if (status.status === 'Delivered') break;
    await sleep(100);
  }
  check('trusted: Delivered through the TLS SMSC', status.status === 'Delivered',
        JSON.stringify(status) + ' ' + s.stderr.slice(-800));
  check('trusted: the submit arrived, with its text',
        submits.length === 1 && submits[0].short_message.message === 'Over TLS',
        JSON.stringify(submits.map((p) => p.short_message)));
  check('trusted: every SMPP connection was encrypted',
        encrypted.length >= 1 && encrypted.every(Boolean), JSON.stringify(encrypted));
  check('trusted: serve stops with exit 0', (await stopTlsServe()) === 0, s.stderr.slice(-800));

  // 2. Untrusted: the handshake fails, nothing is submitted, and the log says why.
  const other = makeCertificate('other');
  s = await startTlsServe('untrusted', smscPort, other.cert);
  const refusedBy = Date.now() + 30000;
  while (!/TLS handshake with 127\.0\.0\.1:\d+ failed/.test(s.stderr) && Date.now() < refusedBy) {
    await sleep(100);
  }
  check('untrusted: the handshake is refused and logged',
        /TLS handshake with 127\.0\.0\.1:\d+ failed/.test(s.stderr), s.stderr.slice(-800));
  const refused = await request(s.port, 'POST', `/v1/${s.account.sid}/messages`,
                                s.account.api_key,
                                JSON.stringify({ to: '+14155550122', sender: 'SMSGW', body: 'No' }));
  check('untrusted: still accepted (stored, waits for a bind)', refused.status === 200);
  await sleep(1000);
  check('untrusted: nothing submitted', submits.length === 1, String(submits.length));
  check('untrusted: serve stops with exit 0', (await stopTlsServe()) === 0);
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => {
    if (serve) serve.child.kill('SIGKILL');
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(summary());
  });
