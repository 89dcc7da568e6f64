import type { BusLogger } from '@dgt/bus';

export const stackLogLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type StackLogLevel = (typeof stackLogLevels)[number];

const rank: Record<StackLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * One readable line per entry (`16:05:57 warn  recorder: … {fields}`): the demo runs in a
 * terminal, where JSON lines from five components would bury the banner.
 */
export function consoleLogger(component: string, minimum: StackLogLevel, out: NodeJS.WritableStream = process.stderr): BusLogger {
  const write = (level: Exclude<StackLogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void => {
    if (rank[level] < rank[minimum]) return;
    const time = new Date().toISOString().slice(11, 19);
    const extra = fields === undefined || Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`;
    out.write(`${time} ${level.padEnd(5)} ${component}: ${message}${extra}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
