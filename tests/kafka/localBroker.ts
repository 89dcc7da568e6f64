import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a test process needs to stop and restart the harness's local broker (serialisable for `provide`). */
export interface LocalBrokerHandle {
  readonly dir: string;
  readonly port: number;
  readonly controllerPort: number;
  /** Stop the broker when this process exits, even if teardown never runs. */
  readonly ownerPid: number;
}

export const kafkaScript = fileURLToPath(new URL('../../infra/kafka/kafka.sh', import.meta.url));
const fetchedStamp = fileURLToPath(new URL('../../infra/kafka/.lib/.fetched', import.meta.url));

export function jarsAlreadyFetched(): boolean {
  return existsSync(fetchedStamp);
}

/** Runs infra/kafka/kafka.sh; rejects with its output when it exits non-zero. */
export function runKafkaScript(args: readonly string[], timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [kafkaScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output.trim());
      else reject(new Error(`kafka.sh ${args.join(' ')} exited with ${code}:\n${output.trim()}`));
    });
  });
}

export function startLocalBroker(h: LocalBrokerHandle): Promise<string> {
  return runKafkaScript([
    'start',
    '--port',
    String(h.port),
    '--controller-port',
    String(h.controllerPort),
    '--dir',
    h.dir,
    '--owner-pid',
    String(h.ownerPid),
  ]);
}

export function stopLocalBroker(h: Pick<LocalBrokerHandle, 'dir'>): Promise<string> {
  return runKafkaScript(['stop', '--dir', h.dir]);
}
