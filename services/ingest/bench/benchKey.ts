/** The API key the bench's loader posts with (serve.ts configures its hash); a bench-only secret. */
export const BENCH_KEY = 'dgt-bench-ingest-key-0123456789abcdef';
