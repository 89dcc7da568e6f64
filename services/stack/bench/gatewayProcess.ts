import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * The same-run reference of the embedded bench: the ingest gateway alone, publishing to a no-op bus
 * (services/ingest/bench/serve.ts ingest-noop), in its own process. Against it the bench shows what
 * durability, the recorder and the projector cost on top of the gateway's own work.
 */

const serveScript = fileURLToPath(new URL('../../ingest/bench/serve.ts', import.meta.url));
/** The key serve.ts accepts (services/ingest/bench/benchKey.ts); a bench-only secret. */
export { BENCH_KEY as GATEWAY_KEY } from '../../ingest/bench/benchKey.ts';

export interface GatewayProcess {
  readonly ingestUrl: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startGatewayProcess(): Promise<GatewayProcess> {
  // The young generation `npm start` gives the stack (--max-semi-space-size=64), as the stack variants have.
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', serveScript, 'ingest-noop'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited ${code} before listening`)));
  });
  return {
    ingestUrl: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
