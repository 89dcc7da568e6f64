import { connect, type Socket } from 'node:net';

/**
 * A closed-loop HTTP/1.1 GET load generator on raw sockets: N keep-alive connections, one request
 * in flight on each. It reads only status lines and headers and skips bodies by counting bytes
 * (reads go into one reused buffer), so its cost barely grows with body size and not at all with
 * content: autocannon decodes and concatenates every body as a UTF-8 string, which made it, not the
 * server, the bottleneck with 35 KiB non-ASCII pages.
 * Latency = request written → last body byte (autocannon's definition). Requests still in flight
 * when the time is up are awaited (bounded by the timeout), so the count matches the server's.
 */

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A request unanswered for this long is an error and its connection is replaced. Default 10 s. */
  readonly timeoutMs?: number;
  /** When given, responses with another status are counted in `statusMismatches`. */
  readonly expectStatus?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly elapsedS: number;
  readonly rps: number;
  /** Exact latency percentiles in ms (nearest rank over every response). */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Bytes on the wire per response (status line, headers, chunk framing and body), as autocannon counts them. */
  readonly bytesPerResponse: number;
  readonly bodyBytesPerResponse: number;
  readonly non2xx: number;
  readonly statusMismatches: number;
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Connections the server closed between requests (e.g. `connection: close`), replaced without error. */
  readonly reconnects: number;
}

type State = 'idle' | 'status' | 'headers' | 'body' | 'chunk-size' | 'chunk-data' | 'trailer';

interface Conn {
  socket: Socket;
  state: State;
  /** performance.now() when the request was written; -1 when none is in flight. */
  sentAt: number;
  line: string;
  status: number;
  length: number;
  chunked: boolean;
  close: boolean;
  remaining: number;
  wire: number;
  body: number;
  failure: string | undefined;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  if (target.protocol !== 'http:') throw new Error(`runLoad speaks plain HTTP only, not ${target.protocol}`);
  const port = Number(target.port || 80);
  const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const request = Buffer.from(`GET ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n${extra}\r\n`, 'latin1');
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(options.connections >= 1 && options.durationS > 0)) throw new Error('runLoad needs at least one connection and a positive duration');

  let latencies = new Float64Array(1 << 16);
  let requests = 0, wireBytes = 0, bodyBytes = 0, non2xx = 0, mismatches = 0, errors = 0, reconnects = 0, open = 0;
  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => {
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  let running = true;
  const conns = new Set<Conn>();
  const readBuffer = Buffer.allocUnsafe(256 * 1024);
  const started = performance.now();

  return new Promise((resolve) => {
    const send = (c: Conn) => {
      Object.assign(c, { state: 'status', line: '', status: 0, length: -1, chunked: false, close: false, wire: 0, body: 0, sentAt: performance.now() });
      c.socket.write(request);
    };
    const abort = (c: Conn, kind: string) => {
      c.failure = kind;
      c.socket.destroy();
    };
    const finish = (c: Conn) => {
      if (requests === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[requests++] = performance.now() - c.sentAt;
      wireBytes += c.wire;
      bodyBytes += c.body;
      if (c.status < 200 || c.status > 299) non2xx++;
      if (options.expectStatus !== undefined && c.status !== options.expectStatus) mismatches++;
      c.state = 'idle';
      c.sentAt = -1;
    };
    /** One complete header or chunk-size line (CR stripped); returns false when the response is unusable. */
    const onLine = (c: Conn, line: string): boolean => {
      switch (c.state) {
        case 'status':
          c.status = Number(line.slice(9, 12));
          c.state = 'headers';
          return line.startsWith('HTTP/1.') && c.status >= 100;
        case 'headers': {
          if (line !== '') {
            const colon = line.indexOf(':');
            const name = line.slice(0, colon).trim().toLowerCase();
            const value = line.slice(colon + 1).trim().toLowerCase();
            if (name === 'content-length') c.length = Number(value);
            else if (name === 'transfer-encoding') c.chunked = value.endsWith('chunked');
            else if (name === 'connection') c.close = value === 'close';
            return true;
          }
          // Interim 1xx responses precede the real one.
          if (c.status < 200) c.state = 'status';
          else if (c.chunked) c.state = 'chunk-size';
          else if (c.status === 204 || c.status === 304 || c.length === 0) finish(c);
          else if (c.length > 0) {
            c.state = 'body';
            c.remaining = c.length;
          } else {
            c.failure = 'response without a usable content-length or chunked encoding (a body read until close is not measured)';
            return false;
          }
          return true;
        }
        case 'chunk-size': {
          const size = parseInt(line, 16);
          if (Number.isNaN(size)) {
            c.failure = `bad chunk size line ${JSON.stringify(line)}`;
            return false;
          }
          c.body += size;
          c.state = size === 0 ? 'trailer' : 'chunk-data';
          c.remaining = size + 2; // the data, then its CRLF
          return true;
        }
        case 'trailer':
          if (line === '') finish(c);
          return true;
        case 'idle':
        case 'body':
        case 'chunk-data':
          throw new Error(`no line expected in state ${c.state}`);
        default:
          throw new Error(`unknown state ${c.state satisfies never}`);
      }
    };
    const onData = (c: Conn, chunk: Buffer) => {
      if (c.sentAt < 0) return abort(c, 'bytes received with no request in flight');
      c.wire += chunk.length;
      let i = 0;
      while (i < chunk.length && c.sentAt >= 0) {
        if (c.state === 'body' || c.state === 'chunk-data') {
          // Bodies are skipped by counting: never decoded, never copied.
          const take = Math.min(c.remaining, chunk.length - i);
          i += take;
          c.remaining -= take;
          if (c.state === 'body') c.body += take;
          if (c.remaining > 0) continue;
          if (c.state === 'body') finish(c);
          else c.state = 'chunk-size';
          continue;
        }
        const lf = chunk.indexOf(10, i);
        c.line += chunk.toString('latin1', i, lf < 0 ? chunk.length : lf);
        if (lf < 0) {
          if (c.line.length > 65_536) return abort(c, 'header or chunk line longer than 64 KiB');
          break;
        }
        i = lf + 1;
        const line = c.line.endsWith('\r') ? c.line.slice(0, -1) : c.line;
        c.line = '';
        if (!onLine(c, line)) return abort(c, c.failure ?? `malformed status line ${JSON.stringify(line)}`);
      }
      if (c.sentAt >= 0) return;
      if (i < chunk.length) return abort(c, 'bytes received after a complete response');
      if (c.close) {
        reconnects++;
        c.socket.destroy();
      } else if (running) send(c);
      else c.socket.destroy();
    };
    const openConnection = () => {
      // Reads land in one shared buffer that is parsed synchronously: no allocation per read, nothing for the GC.
      const onread = {
        buffer: readBuffer,
        callback: (n: number) => {
          onData(c, readBuffer.subarray(0, n));
          return true;
        },
      };
      const c: Conn = { socket: connect({ host: target.hostname, port, noDelay: true, onread }), state: 'idle', sentAt: -1, line: '', status: 0, length: -1, chunked: false, close: false, remaining: 0, wire: 0, body: 0, failure: undefined };
      open++;
      conns.add(c);
      c.socket.on('connect', () => (running ? send(c) : c.socket.destroy()));
      c.socket.on('error', (error: NodeJS.ErrnoException) => (c.failure ??= error.code ?? error.message));
      c.socket.on('close', () => {
        open--;
        conns.delete(c);
        if (c.failure !== undefined) fail(c.failure);
        else if (c.sentAt >= 0) fail(c.state === 'status' && c.wire === 0 ? 'closed before the response' : 'closed mid-response');
        // After a failure, pause a little so that a server that is down is not hammered in a hot loop.
        if (running) setTimeout(openConnection, c.failure === undefined ? 0 : 10);
        else if (open === 0) done();
      });
    };
    // One sweep instead of a timer per request: cheap at tens of thousands of requests per second.
    const sweep = setInterval(() => {
      const now = performance.now();
      for (const c of conns) if (c.sentAt >= 0 && now - c.sentAt > timeoutMs) abort(c, `timeout (${timeoutMs} ms, ${c.wire === 0 ? 'no byte received' : 'response started'})`);
    }, Math.min(250, timeoutMs / 4));
    const stop = setTimeout(() => {
      running = false;
      for (const c of conns) if (c.sentAt < 0) c.socket.destroy();
    }, options.durationS * 1000);
    const done = () => {
      clearInterval(sweep);
      clearTimeout(stop);
      const elapsedS = (performance.now() - started) / 1000;
      const sorted = latencies.subarray(0, requests).sort();
      const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * requests) - 1)] ?? 0;
      const mean = requests === 0 ? 0 : sorted.reduce((sum, x) => sum + x, 0) / requests;
      const per = (n: number) => (requests === 0 ? 0 : n / requests);
      resolve({ requests, elapsedS, rps: requests / elapsedS, p50: at(50), p90: at(90), p99: at(99), max: at(100), mean, bytesPerResponse: per(wireBytes), bodyBytesPerResponse: per(bodyBytes), non2xx, statusMismatches: mismatches, errors, errorKinds, reconnects });
    };
    for (let k = 0; k < options.connections; k++) openConnection();
  });
}
