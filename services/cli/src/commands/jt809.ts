import { parseArgs } from 'node:util';
import { LoginRefusedError, PlatformDelivery, loginResultName, simulatedFixInput, type DeliveryStats } from '@dgt/jt809-gateway';
import { type Io, UsageError } from '../io.ts';
import { jt809OptionSpec, readJt809SimulateOptions, type Jt809SimulateOptions } from '../jt809Options.ts';

export const jt809Help = `Usage: dgt jt809 simulate --access-code <n> --user-id <n> --password <p> [options]

A subordinate JT/T 809 platform (a carrier's or a province's monitoring platform) delivering
a fleet to a superior platform — dgt's jt809-gateway or any other — to test a link: it logs in
(0x1001), streams real-time fixes (0x1200/0x1202), sends a heartbeat (0x1005) every --ack-every
seconds and counts a fix acknowledged once a heartbeat sent after it is answered (dgt's gateway
answers only when everything before it is on its durable bus). With --outage-at it drops the
link without a logout, holds the fixes meanwhile, logs in again and back-fills them (0x1203, up
to five per vehicle and frame); a link lost unasked is restored the same way, with unacknowledged
fixes re-sent. Prints a summary: fixes sent, back-filled, acknowledged, logins, refusals.

The vehicles are the seed fleet's (V0001…, plates 浙J·…) unless --vehicles-file names them; a
gateway accepts only vehicles registered to the carriers the platform may speak for (JT/T 809
does not tell the platform which fixes were refused: the gateway counts them,
dgt_jt809_refused_total{platform,reason}).

Link:
  --host <addr>          gateway address (default 127.0.0.1)
  --port <n>             gateway port (default 9809)
  --access-code <n>      MSG_GNSSCENTERID (接入码) of the platform (required)
  --user-id <n>          0x1001 USERID (required)
  --password <p>         0x1001 PASSWORD, at most 8 bytes (required; the gateway keeps its SHA-256)
  --edition <year>       2011 or 2019 (default 2019): 2011 sends its own 36-byte fix, 2019 the
                         JT/T 808 0x0200 body
  --m1, --ia1, --ic1 <n> the link's encryption keys, all three or none (none: frames in clear)
Fleet:
  --vehicles <n>         vehicles of the seed fleet (default 100; with --carrier all of its)
  --carrier <id>         only vehicles of this seed carrier (e.g. C001)
  --vehicles-file <file> JSON array of {"plateNo": "浙J·12345", "plateColour"?: 2}; the gateway's
                         JT809_VEHICLES_FILE does
  --plate-colour <n>     plate colour on the wire (default 2, yellow: hazmat trucks)
Run:
  --rate <n>             fixes per second over the whole fleet, round robin (default: each vehicle
                         every 10 s; at most one fix per vehicle and second)
  --duration <s>         how long to deliver (default 60)
  --outage-at <s>        drop the link this many seconds into the run …
  --outage-for <s>       … for this long (default 10), then log in again and back-fill
  --ack-every <s>        heartbeat period (default 1)
  --json                 print the summary as JSON
  -h, --help             show this help

Exit codes: 0 every fix acknowledged; 1 login refused, no connection, or fixes left
unacknowledged; 2 bad option.`;

export async function jt809(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: jt809OptionSpec });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.stdout.write(jt809Help + '\n');
    return values.help ? 0 : 2;
  }
  if (action !== 'simulate') throw new UsageError(`unknown action "${action}" (simulate)\n\n${jt809Help}`);
  if (rest.length > 0) throw new UsageError(`simulate takes no arguments, got "${rest.join(' ')}"`);
  return simulatePlatform(readJt809SimulateOptions(values), io);
}

interface RunTotals {
  readonly stats: DeliveryStats;
  readonly unacknowledged: number;
  readonly seconds: number;
  readonly interrupted: boolean;
}

async function simulatePlatform(o: Jt809SimulateOptions, io: Io): Promise<number> {
  const target = `${o.host}:${o.port}`;
  const delivery = new PlatformDelivery({
    host: o.host,
    port: o.port,
    edition: o.edition,
    accessCode: o.accessCode,
    userId: o.userId,
    password: o.password,
    keys: o.keys,
    onEvent: (what, fields) => io.stderr.write(`dgt jt809: ${what} ${JSON.stringify(fields)}\n`),
  });
  try {
    await delivery.start();
  } catch (e) {
    if (e instanceof LoginRefusedError) {
      io.stderr.write(`dgt jt809: ${target} refused the login: result ${e.result} (${loginResultName(e.result)})\n`);
      printSummary(o, { stats: delivery.stats, unacknowledged: 0, seconds: 0, interrupted: false }, io);
      return 1;
    }
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`dgt jt809: cannot log in at ${target}: ${code ?? (e as Error).message}\n`);
    return 1;
  }
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const started = performance.now();
  try {
    await deliver(o, delivery, abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    await delivery.close();
  }
  const totals = { stats: delivery.stats, unacknowledged: delivery.unacknowledged, seconds: (performance.now() - started) / 1000, interrupted: abort.signal.aborted };
  printSummary(o, totals, io);
  return totals.unacknowledged === 0 ? 0 : 1;
}

/** Paces the fleet's fixes at `rate` per second for the duration; the outage runs alongside. */
async function deliver(o: Jt809SimulateOptions, delivery: PlatformDelivery, signal: AbortSignal): Promise<void> {
  const n = o.vehicles.length;
  const total = Math.floor((o.rate * o.durationMs) / 1000);
  const lastFixS = new Array<number>(n).fill(0);
  const start = performance.now();
  let sent = 0;
  let lastAck = start;
  let outage: Promise<void> | undefined;
  while (!signal.aborted) {
    const elapsed = performance.now() - start;
    if (elapsed >= o.durationMs) break;
    if (o.outage !== undefined && outage === undefined && elapsed >= o.outage.atMs) outage = delivery.outage(o.outage.forMs, signal);
    const due = Math.min(total, Math.floor((elapsed / 1000) * o.rate) + 1);
    for (; sent < due; sent++) {
      const i = sent % n;
      // Whole seconds on the wire, and never two fixes of a vehicle in one second (one event id).
      const second = Math.max(Math.floor(Date.now() / 1000), lastFixS[i]! + 1);
      lastFixS[i] = second;
      delivery.send(o.vehicles[i]!, simulatedFixInput(o.edition, i, Math.floor(sent / n), second * 1000));
    }
    if (performance.now() - lastAck >= o.ackEveryMs) {
      lastAck = performance.now();
      void delivery.acknowledge();
    }
    await new Promise((r) => setTimeout(r, Math.min(50, 1000 / o.rate)));
  }
  // The re-login after the outage may still be under way: close() waits for it (for a while).
  await outage;
}

function printSummary(o: Jt809SimulateOptions, t: RunTotals, io: Io): void {
  const s = t.stats;
  const refusals = Object.entries(s.loginRefusals).map(([code, count]) => ({ result: Number(code), reason: loginResultName(Number(code)), count }));
  if (o.json) {
    io.stdout.write(JSON.stringify({ target: `${o.host}:${o.port}`, edition: o.edition, encrypted: o.keys !== undefined, vehicles: o.vehicles.length, seconds: Math.round(t.seconds * 10) / 10, interrupted: t.interrupted, ...s, unacknowledged: t.unacknowledged, loginRefusals: refusals }) + '\n');
    return;
  }
  const refused = refusals.reduce((a, r) => a + r.count, 0);
  const lines = [
    `jt809 simulate: access code ${o.accessCode} → ${o.host}:${o.port}, edition ${o.edition}, ${o.keys === undefined ? 'in clear' : 'encrypted'}, ${o.vehicles.length} vehicle(s), ${t.seconds.toFixed(1)} s${t.interrupted ? ' (interrupted)' : ''}`,
    `  fixes sent        ${s.fixesSent} (0x1202)${s.fixesResent > 0 ? `, ${s.fixesResent} sent again after a lost link` : ''}`,
    `  back-filled       ${s.fixesBackfilled} in ${s.backfillFrames} frame(s) (0x1203)`,
    `  acknowledged      ${s.fixesAcknowledged}`,
    `  unacknowledged    ${t.unacknowledged}`,
    `  logins            ${s.logins} ok, ${refused} refused${refusals.map((r) => ` (result ${r.result} ${r.reason} ×${r.count})`).join('')}`,
    `  outages           ${s.outages} simulated, ${s.linkLosses} link(s) lost unasked`,
    '  vehicles the gateway refused are not reported back by JT/T 809: see its dgt_jt809_refused_total',
  ];
  io.stdout.write(lines.join('\n') + '\n');
}
