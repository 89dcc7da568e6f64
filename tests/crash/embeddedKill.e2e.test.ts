import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { crashLoad, expectNothingLost } from './support/expectNothingLost.ts';
import { killUnderLoad } from './support/killUnderLoad.ts';

/*
 * Issue 14, item 1: in the embedded default (`npm start`, no Kafka) a 202 is an acknowledgement
 * only if the events survive the process. The real process is SIGKILLed twice at random moments
 * while four threads post batches of 500–2,000 fixes, and restarted each time on the same data
 * directory; every acknowledged id must end up in the event store exactly once.
 */

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('npm start (embedded bus) killed under load', () => {
  it('records every acknowledged position exactly once after two SIGKILLs and restarts', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dgt-crash-embedded-'));
    const report = await killUnderLoad({
      dataDir,
      // The rate limit is not under test; the load must not be throttled into meaninglessness.
      env: { INGEST_RATE_LIMIT_EVENTS_PER_S: '10000000', INGEST_RATE_LIMIT_BURST: '10000000' },
      ...crashLoad,
      log: (line) => console.log(`[embedded crash] ${line}`),
    });
    expectNothingLost(report, 'embedded crash');
  }, 170_000);
});
