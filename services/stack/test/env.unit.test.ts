import { describe, expect, it } from 'vitest';
import { readStackOptions, UsageError } from '../src/env.ts';

describe('npm start options', () => {
  it('defaults to the embedded stack with the simulator and ./data where npm was started', () => {
    const o = readStackOptions([], { INIT_CWD: '/home/me/dgt' }, '/elsewhere');
    expect(o).toMatchObject({ sim: true, kafkaBrokers: [], synchronous: 'NORMAL', eventStoreUrl: undefined, dataDir: '/home/me/dgt/data', apiPort: 8080, ingestPort: 8081, host: '127.0.0.1', speed: 30, help: false });
    expect(readStackOptions([], {}, '/work/repo').dataDir).toBe('/work/repo/data');
  });

  it('reads --no-sim, --kafka, --eventstore, --data, --port and --help', () => {
    const o = readStackOptions(['--no-sim', '--kafka', 'k1:9092, k2:9092', '--eventstore', 'esdb://localhost:2113?tls=false', '--data', 'demo', '--port', '9000', '--help'], { INIT_CWD: '/r' });
    expect(o).toMatchObject({ sim: false, kafkaBrokers: ['k1:9092', 'k2:9092'], eventStoreUrl: 'esdb://localhost:2113?tls=false', dataDir: '/r/demo', apiPort: 9000, ingestPort: 9001, help: true });
  });

  it('runs the JT/T 809 gateway on 9809 by default, on any free port with --port 0, elsewhere or not at all with --jt809-port', () => {
    expect(readStackOptions([], {}).jt809Port).toBe(9809);
    expect(readStackOptions(['--port', '0'], {}).jt809Port).toBe(0);
    expect(readStackOptions(['--jt809-port', '19809'], {}).jt809Port).toBe(19809);
    expect(readStackOptions(['--jt809-port', 'off'], {}).jt809Port).toBeNull();
  });

  it('runs the JT/T 808 gateway on 6808 by default, on any free port with --port 0, elsewhere or not at all with --jt808-port', () => {
    expect(readStackOptions([], {}).jt808Port).toBe(6808);
    expect(readStackOptions(['--port', '0'], {}).jt808Port).toBe(0);
    expect(readStackOptions(['--jt808-port', '16808'], {}).jt808Port).toBe(16808);
    expect(readStackOptions(['--jt808-port', 'off'], {}).jt808Port).toBeNull();
  });

  it('drives 10 % of the simulated vehicles as JT/T 808 terminals unless --jt808-share says otherwise (a percentage or a fraction)', () => {
    expect(readStackOptions([], {}).jt808Share).toBe(0.1);
    expect(readStackOptions(['--jt808-share', '25%'], {}).jt808Share).toBe(0.25);
    expect(readStackOptions(['--jt808-share', '0.5'], {}).jt808Share).toBe(0.5);
    expect(readStackOptions(['--jt808-share', '0'], {}).jt808Share).toBe(0);
  });

  it('takes Kafka and EventStoreDB from the environment unless flags say otherwise', () => {
    const o = readStackOptions([], { KAFKA_BROKERS: 'b:9092', EVENTSTORE_URL: 'esdb://e:2113' });
    expect(o.kafkaBrokers).toEqual(['b:9092']);
    expect(o.eventStoreUrl).toBe('esdb://e:2113');
    expect(readStackOptions(['--kafka', 'c:9092'], { KAFKA_BROKERS: 'b:9092' }).kafkaBrokers).toEqual(['c:9092']);
  });

  it('reads --synchronous full (or DGT_SYNCHRONOUS) for power-loss durability', () => {
    expect(readStackOptions(['--synchronous', 'full'], {}).synchronous).toBe('FULL');
    expect(readStackOptions([], { DGT_SYNCHRONOUS: 'FULL' }).synchronous).toBe('FULL');
    expect(readStackOptions(['--synchronous', 'normal'], { DGT_SYNCHRONOUS: 'full' }).synchronous).toBe('NORMAL');
  });

  it('passes the apps their own settings but keeps ports, hosts and log levels for itself', () => {
    const o = readStackOptions([], { API_RATE_LIMIT_PER_MINUTE: '100', API_PORT: '1', INGEST_MAX_BATCH: '10', DGT_DASHBOARD_TILE_URL: 'https://t/{z}/{x}/{y}.png', HOME: '/root', DGT_TOPIC_PREFIX: 'x.' });
    expect(o.serviceEnv).toEqual({ API_RATE_LIMIT_PER_MINUTE: '100', INGEST_MAX_BATCH: '10', DGT_DASHBOARD_TILE_URL: 'https://t/{z}/{x}/{y}.png' });
    expect(o.topicPrefix).toBe('x.');
  });

  it.each([
    [['--port', 'http'], /--port must be a port number/],
    [['--port', '8080', '--ingest-port', '8080'], /must differ/],
    [['--kafka', ' , '], /--kafka needs at least one broker/],
    [['--eventstore', 'postgres://x'], /EventStoreDB connection string/],
    [['--speed', 'fast'], /--speed/],
    [['--vehicles', '5000'], /--vehicles/],
    [['--log-level', 'loud'], /--log-level/],
    [['--synchronous', 'off'], /--synchronous must be normal or full/],
    [['--frobnicate'], /frobnicate/],
    [['--jt809-port', 'on'], /--jt809-port must be a port number from 0 to 65535, or off/],
    [['--jt809-port', '8080'], /--jt809-port must differ from --port and --ingest-port/],
    [['--jt808-port', 'on'], /--jt808-port must be a port number from 0 to 65535, or off/],
    [['--jt808-port', '9809'], /--jt808-port must differ from --port, --ingest-port and --jt809-port/],
    [['--jt808-share', '150%'], /--jt808-share must be a share from 0 to 1/],
    [['--jt808-share', 'some'], /--jt808-share must be a share from 0 to 1/],
  ])('refuses %j with a readable message', (argv, message) => {
    expect(() => readStackOptions(argv, {})).toThrow(UsageError);
    expect(() => readStackOptions(argv, {})).toThrow(message);
  });
});
