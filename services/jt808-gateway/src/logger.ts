/** The logging surface the gateway needs (same shape as @dgt/bus's BusLogger). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** One JSON object per line on stdout (main.ts); `service` names the gateway (the JT/T 809 one shares this). */
export function jsonLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info', service = 'jt808-gateway'): Logger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  const at = (l: keyof typeof order) => (message: string, fields?: Record<string, unknown>) => {
    if (order[l] < order[level]) return;
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: l, service, message, ...fields }) + '\n');
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
