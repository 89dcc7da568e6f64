import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from './services.ts';

export interface BenchBroker {
  readonly brokers: string[];
  /** The broker's JVM, when this run started it (for CPU/RSS). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

function kafkaSh(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${args[0]} failed:\n${out}`))));
  });
}

/** KAFKA_BROKERS if set, otherwise a broker started with infra/kafka/kafka.sh (full JIT: this is a long run). */
export async function benchBroker(dir: string): Promise<BenchBroker> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) return { brokers: external.split(','), pid: undefined, stop: async () => {} };
  const port = await freePort();
  const controllerPort = await freePort();
  // A fixed heap as Kafka's own start script gives (1 GiB): grown from the tests' 128 MiB, G1 ran
  // concurrent cycles through the first seconds of the load.
  const env = { ...process.env, KAFKA_JVM_OPTS: process.env.KAFKA_JVM_OPTS ?? '', KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? '-Xms1g -Xmx1g' };
  const brokerDir = join(dir, 'kafka');
  await kafkaSh(['start', '--port', String(port), '--controller-port', String(controllerPort), '--dir', brokerDir, '--owner-pid', String(process.pid)], env);
  const pid = Number(readFileSync(join(brokerDir, 'kafka.pid'), 'utf8').trim());
  return { brokers: [`127.0.0.1:${port}`], pid, stop: () => kafkaSh(['stop', '--dir', brokerDir], env) };
}
