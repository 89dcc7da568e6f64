/** Sum of a Prometheus metric's samples whose labels include `labels`, scraped from a /metrics endpoint. */
export async function scrapeMetric(
  metricsUrl: string,
  apiKey: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(metricsUrl, { headers: { 'x-api-key': apiKey } });
  if (response.status !== 200) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  return sumSamples(await response.text(), name, labels);
}

export function sumSamples(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)) found[pair[1] ?? ''] = pair[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(match[4]);
  }
  return sum;
}
