import type { DemoKeys } from './demoKeys.ts';

export interface BannerInfo {
  readonly dashboardUrl: string;
  readonly ingestUrl: string;
  readonly bus: string;
  readonly store: string;
  readonly dataDir: string;
  readonly simulation: string;
  /** The JT/T 809 gateway's line(s): where it listens and which platform the demo runs. */
  readonly jt809?: readonly string[];
  /** The JT/T 808 gateway's line(s): where terminals connect, the terminals file, the simulated share. */
  readonly jt808?: readonly string[];
  readonly keys: DemoKeys;
}

/** The start-up box: where to point the browser, and which key to paste for which desk. */
export function banner(info: BannerInfo): string {
  const rows: (string | null)[] = [
    'dgt — hazmat transport monitoring (demo, synthetic Taizhou data)',
    null,
    `Dashboard    ${info.dashboardUrl}`,
    `Ingest API   POST ${info.ingestUrl}/v1/events`,
    `OpenAPI      ${info.dashboardUrl}/docs`,
    `Bus          ${info.bus}`,
    `Event store  ${info.store}`,
    `Data         ${info.dataDir}`,
    `Simulator    ${info.simulation}`,
    ...(info.jt809 ?? []).map((line, i) => `${i === 0 ? 'JT/T 809' : ''}`.padEnd(13) + line),
    ...(info.jt808 ?? []).map((line, i) => `${i === 0 ? 'JT/T 808' : ''}`.padEnd(13) + line),
    null,
    'Demo API keys (paste one on the dashboard login; send as the x-api-key header):',
    ...info.keys.keys.map((k) => `  ${k.role.padEnd(14)} ${k.key}`),
    '  (ingest posts fixes and waybills, registry the register of carriers and vehicles and the zones;',
    '   neither opens the desk; planner reads the planning answers — /v1/planning/*: lot occupancy,',
    '   parking demand, candidate areas for new lots, segment exposure — and the zones, nothing else)',
    `  (kept in ${info.keys.path}, mode 0600)`,
    null,
    'Ctrl-C stops cleanly; the next start continues from the data directory.',
  ];
  const width = Math.max(...rows.map((r) => (r === null ? 0 : displayWidth(r))));
  const line = (text: string): string => `│ ${text}${' '.repeat(width - displayWidth(text))} │`;
  return [
    `┌${'─'.repeat(width + 2)}┐`,
    ...rows.map((r) => (r === null ? `├${'─'.repeat(width + 2)}┤` : line(r))),
    `└${'─'.repeat(width + 2)}┘`,
  ].join('\n');
}

/** Terminal columns: CJK characters take two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
