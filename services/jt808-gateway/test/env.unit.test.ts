import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError, defaultGatewayConfig, readGatewayEnv } from '../src/index.ts';

describe('readGatewayEnv', () => {
  it('applies the defaults: port 6808, http 9465, in-process bus, dg.positions', () => {
    const e = readGatewayEnv({});
    expect(e.gateway).toEqual({ ...defaultGatewayConfig, positionsTopic: 'dg.positions' });
    expect(e.httpPort).toBe(9465);
    expect(e.bus.brokers).toEqual([]);
    expect(e.terminals).toEqual([]);
  });

  it('reads terminals inline or from a file, limits and the topic prefix', () => {
    const inline = readGatewayEnv({
      JT808_TERMINALS: '[{"phone":"013912344329","plate":"浙J·12345","authCode":"c1"}]',
      JT808_PORT: '7000',
      JT808_FRAMES_PER_SECOND: '10',
      JT808_PUBLISH_UNFIXED: 'true',
      DGT_TOPIC_PREFIX: 'x.',
    });
    expect(inline.terminals).toEqual([{ phone: '013912344329', plate: '浙J·12345', authCode: 'c1' }]);
    expect(inline.gateway).toMatchObject({ port: 7000, framesPerSecond: 10, publishUnfixed: true, positionsTopic: 'x.positions' });
    const dir = mkdtempSync(join(tmpdir(), 'jt808-env-'));
    const file = join(dir, 'terminals.json');
    writeFileSync(file, '[{"phone":"13900000001","plate":"浙J·D0001"}]');
    expect(readGatewayEnv({ JT808_TERMINALS_FILE: file }).terminals).toEqual([{ phone: '13900000001', plate: '浙J·D0001' }]);
  });

  it('names the offending variable when the configuration is invalid', () => {
    expect(() => readGatewayEnv({ JT808_PORT: 'x' })).toThrow(/JT808_PORT/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: '[{"phone":"abc","plate":"P"}]' })).toThrow(/0\.phone/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: '{' })).toThrow(GatewayError);
    expect(() => readGatewayEnv({ JT808_AUTH_SECRET: 'short' })).toThrow(/JT808_AUTH_SECRET/);
  });
});
