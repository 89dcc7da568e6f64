/**
 * 50 (BENCH_PLATFORMS) simulated platforms, each forwarding its share of the vehicles as fast as
 * the gateway takes them: chunks of 0x1202 fixes, each chunk followed by a heartbeat, at most two
 * chunks unanswered per platform. A fix counts as acknowledged once the heartbeat after it is
 * answered (the gateway answers only when everything before it is on the bus). Runs in its own
 * process (started by gateway.bench.ts); options arrive as JSON in argv[2], the result goes back
 * over IPC.
 */
import type { Edition } from '@dgt/jt809';
import { SimulatedPlatform, simulatedFixInput } from '../src/index.ts';

export interface PlatformFleetOptions {
  readonly host: string;
  readonly port: number;
  readonly platforms: readonly { readonly accessCode: number; readonly edition: Edition; readonly plates: readonly string[] }[];
  readonly userId: number;
  readonly password: string;
  readonly durationMs: number;
  readonly chunk: number;
  readonly firstFixMs: number;
}

export interface PlatformFleetResult {
  readonly loggedIn: number;
  readonly sentFixes: number;
  readonly ackedFixes: number;
  readonly sendingSeconds: number;
  readonly ackedPerSecond: number;
}

async function run(o: PlatformFleetOptions): Promise<PlatformFleetResult> {
  let loggedIn = 0;
  let sentFixes = 0;
  let ackedFixes = 0;
  const platforms = await Promise.all(
    o.platforms.map(async (p) => {
      const sim = new SimulatedPlatform({ host: o.host, port: o.port, edition: p.edition, accessCode: p.accessCode, userId: o.userId, password: o.password });
      await sim.connect();
      if ((await sim.login()) === 0) loggedIn++;
      return { sim, plates: p.plates, edition: p.edition };
    }),
  );
  const started = performance.now();
  const endAt = started + o.durationMs;
  await Promise.all(
    platforms.map(async ({ sim, plates, edition }, pi) => {
      let k = 0;
      const outstanding: Promise<void>[] = [];
      while (performance.now() < endAt) {
        for (let n = 0; n < o.chunk; n++, k++) {
          const v = k % plates.length;
          const step = Math.floor(k / plates.length);
          sim.sendFix(plates[v]!, 2, simulatedFixInput(edition, pi * 1000 + v, step, o.firstFixMs + step * 1000));
        }
        sentFixes += o.chunk;
        const chunk = o.chunk;
        outstanding.push(sim.heartbeat().then(() => void (ackedFixes += chunk)));
        if (outstanding.length >= 2) await outstanding.shift();
      }
      await Promise.all(outstanding);
    }),
  );
  const sendingSeconds = (performance.now() - started) / 1000;
  for (const { sim } of platforms) await sim.close();
  return { loggedIn, sentFixes, ackedFixes, sendingSeconds, ackedPerSecond: ackedFixes / sendingSeconds };
}

const options = JSON.parse(process.argv[2] ?? '{}') as PlatformFleetOptions;
const result = await run(options);
process.send?.(result, () => process.exit(0));
