import { generateApiKey, hashApiKey } from '@dgt/http';

/** One key per role the pipeline tests use, and the `DGT_API_KEYS` JSON that admits them. */
export function testApiKeys(): { ingest: string; metrics: string; json: string } {
  const ingest = generateApiKey();
  const metrics = generateApiKey();
  const json = JSON.stringify([
    { id: 'test-ingest', role: 'ingest', sha256: hashApiKey(ingest) },
    { id: 'test-metrics', role: 'metrics', sha256: hashApiKey(metrics) },
  ]);
  return { ingest, metrics, json };
}
