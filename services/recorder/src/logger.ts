import type { BusLogger } from '@dgt/bus';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;

/** One JSON object per line on stdout: what the process supervisor and log shipper expect. */
export function jsonLogger(minimum: LogLevel, service = 'recorder'): BusLogger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (levels[level] < levels[minimum]) return;
    const line = { time: new Date().toISOString(), level, service, msg: message, ...serialisable(fields) };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

function serialisable(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (fields === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? `${v.name}: ${v.message}` : v;
  return out;
}
