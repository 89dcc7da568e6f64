import type { BusLogger } from '@dgt/bus';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;

/** One JSON object per line; `stream` is stderr when stdout is kept for a command's output. */
export function jsonLogger(minimum: LogLevel, stream: NodeJS.WritableStream = process.stdout): BusLogger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (levels[level] < levels[minimum]) return;
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'projector', msg: message, ...fields })}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
