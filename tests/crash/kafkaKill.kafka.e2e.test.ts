import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { kafkaForTests } from '../kafka/broker.ts';
import { crashLoad, expectNothingLost } from './support/expectNothingLost.ts';
import { killUnderLoad } from './support/killUnderLoad.ts';

/*
 * Issue 14, item 1, on the Kafka path: `npm start -- --kafka <brokers>` against the real broker,
 * SIGKILLed twice at random moments under a multi-threaded load and restarted on the same data
 * directory (its own topic prefix, so the recorder group resumes from its committed offsets);
 * every id acknowledged with a 202 must be in the event store exactly once.
 */

const kafka = kafkaForTests();
let dataDir: string | undefined;
afterEach(() => {
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe.skipIf(!kafka.available)(`npm start --kafka killed under load (${kafka.source} broker)`, () => {
  it('records every acknowledged position exactly once after two SIGKILLs and restarts', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dgt-crash-kafka-'));
    const report = await killUnderLoad({
      dataDir,
      extraArgs: ['--kafka', kafka.brokers.join(',')],
      env: {
        DGT_TOPIC_PREFIX: `crash-${randomBytes(4).toString('hex')}.dg.`,
        INGEST_RATE_LIMIT_EVENTS_PER_S: '10000000',
        INGEST_RATE_LIMIT_BURST: '10000000',
      },
      ...crashLoad,
      log: (line) => console.log(`[kafka crash] ${line}`),
    });
    expectNothingLost(report, 'kafka crash');
  }, 170_000);
});
