import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const exclude = ['**/node_modules/**', '**/dist/**', 'infra/kafka/.lib/**'];

/**
 * One run over the whole monorepo; the tier is in the file name.
 * Tests that need a Kafka broker are named `*.kafka.int.test.ts` / `*.kafka.e2e.test.ts`
 * and run in the `kafka` project, whose global setup provides the broker.
 */
export default defineConfig({
  test: {
    root,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['**/*.int.test.ts', '**/*.e2e.test.ts'],
          exclude: [...exclude, '**/*.kafka.int.test.ts', '**/*.kafka.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'kafka',
          include: ['**/*.kafka.int.test.ts', '**/*.kafka.e2e.test.ts'],
          exclude,
          // Starts (or finds) one broker for the whole project; see tests/kafka/globalSetup.ts.
          globalSetup: ['tests/kafka/globalSetup.ts'],
          // One broker on a small machine: files run one after another.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
