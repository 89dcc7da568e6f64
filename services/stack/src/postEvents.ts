import { StackError } from './stackError.ts';

export interface PostResult {
  readonly accepted: number;
  readonly rejected: number;
  /** The first refusals, as `line N: reason` (for a readable error). */
  readonly refusals: readonly string[];
}

interface IngestAnswer {
  accepted: number;
  rejected: number;
  results: { index: number; status: string; reason?: string; errors?: { path: string; message: string }[] }[];
}

/** POSTs NDJSON lines to the gateway's `/v1/events` in batches; a batch it does not answer 202 is an error. */
export async function postNdjson(ingestUrl: string, apiKey: string, lines: readonly string[], batchSize = 1000): Promise<PostResult> {
  let accepted = 0;
  let rejected = 0;
  const refusals: string[] = [];
  for (let i = 0; i < lines.length; i += batchSize) {
    const batch = lines.slice(i, i + batchSize);
    const res = await fetch(`${ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
      body: `${batch.join('\n')}\n`,
    });
    if (res.status !== 202) throw new StackError('SEEDS_FAILED', `${ingestUrl}/v1/events answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const answer = (await res.json()) as IngestAnswer;
    accepted += answer.accepted;
    rejected += answer.rejected;
    for (const r of answer.results) {
      if (r.status !== 'rejected' || refusals.length >= 5) continue;
      const detail = r.errors?.map((e) => `${e.path}: ${e.message}`).join('; ') ?? '';
      refusals.push(`item ${i + r.index + 1}: ${r.reason ?? 'rejected'}${detail === '' ? '' : ` (${detail})`}`);
    }
  }
  return { accepted, rejected, refusals };
}
