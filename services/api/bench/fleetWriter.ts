import { openSqliteReadModelStore } from '@dgt/readmodels';
import { FLEET_SIZE, fleetRow, prng } from './fleetFixture.ts';

/**
 * The projector's stand-in (own process, as in production): commits fresh rows for
 * `BENCH_WRITE_VEHICLES` random vehicles every `BENCH_WRITE_EVERY_MS` until told to stop;
 * answers 'cpu' with `{ cpu: process.cpuUsage() }`.
 * Usage: tsx fleetWriter.ts <sqlite path>
 */
const path = process.argv[2];
if (path === undefined) throw new Error('usage: fleetWriter.ts <path>');
const perCommit = Number(process.env.BENCH_WRITE_VEHICLES ?? 200);
const everyMs = Number(process.env.BENCH_WRITE_EVERY_MS ?? 200);

const store = await openSqliteReadModelStore({ path });
const random = prng(7);
let tick = 0;
let commits = 0;
let slowest = 0;
const timer = setInterval(() => {
  tick++;
  const vehicles = Array.from({ length: perCommit }, () => fleetRow(1 + Math.floor(random() * FLEET_SIZE), random, tick));
  const started = performance.now();
  void store
    .commit({ checkpoint: String(tick), vehicles, violations: [], consignments: [], carriers: [], zones: [], withdrawnZoneIds: [], engineState: new Map() })
    .then(() => {
      commits++;
      slowest = Math.max(slowest, performance.now() - started);
    });
}, everyMs);

process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message !== 'stop') return;
  clearInterval(timer);
  void store.close().then(() => {
    process.send?.({ commits, slowestCommitMs: slowest });
    process.exit(0);
  });
});
process.send?.('ready');
