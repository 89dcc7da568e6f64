import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError, defaultGatewayConfig, readGatewayEnv } from '../src/index.ts';

const terminal = { phone: '013912344329', plate: '浙J·12345', plateColour: 2, manufacturerId: '70111', terminalModel: 'BSJ-A6', terminalId: 'A123456' };
const terminals = (...entries: object[]) => JSON.stringify(entries);

describe('readGatewayEnv', () => {
  it('applies the defaults: port 6808, http 9465, dg.positions / dg.consignments, 5 min skew, 7 day back-fill', () => {
    const e = readGatewayEnv({});
    // The gateway id defaults to the host name, and its message consumer group follows it.
    const { gatewayId, driverMessagesGroupId, ...rest } = e.gateway;
    const { gatewayId: _id, driverMessagesGroupId: _group, ...defaults } = defaultGatewayConfig;
    expect(rest).toEqual({ ...defaults, positionsTopic: 'dg.positions', consignmentsTopic: 'dg.consignments' });
    expect(gatewayId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(driverMessagesGroupId).toBe(`dgt-jt808-gateway-${gatewayId}`);
    expect(e.gateway).toMatchObject({ maxFutureSkewMs: 300_000, backfillWindowMs: 604_800_000 });
    expect(e.httpPort).toBe(9465);
    expect(e.bus.brokers).toEqual([]);
    expect(e.terminals).toEqual([]);
    expect(e.statePath).toBeUndefined();
  });

  it('reads terminals inline or from a file, the state path, the time window, limits and the topic prefix', () => {
    const inline = readGatewayEnv({
      JT808_TERMINALS: terminals({ ...terminal, vehicleId: 'V0001' }),
      JT808_STATE_PATH: '/var/lib/dgt/jt808.sqlite',
      JT808_PORT: '7000',
      JT808_FRAMES_PER_SECOND: '10',
      JT808_PUBLISH_UNFIXED: 'true',
      JT808_MAX_FUTURE_SKEW_S: '60',
      JT808_BACKFILL_WINDOW_S: '86400',
      DGT_TOPIC_PREFIX: 'x.',
    });
    expect(inline.terminals).toEqual([{ ...terminal, vehicleId: 'V0001' }]);
    expect(inline.statePath).toBe('/var/lib/dgt/jt808.sqlite');
    expect(inline.gateway).toMatchObject({ port: 7000, framesPerSecond: 10, publishUnfixed: true, positionsTopic: 'x.positions', consignmentsTopic: 'x.consignments', maxFutureSkewMs: 60_000, backfillWindowMs: 86_400_000 });
    const dir = mkdtempSync(join(tmpdir(), 'jt808-env-'));
    const file = join(dir, 'terminals.json');
    writeFileSync(file, terminals({ ...terminal, phone: '13900000001' }));
    expect(readGatewayEnv({ JT808_TERMINALS_FILE: file }).terminals).toEqual([{ ...terminal, phone: '13900000001' }]);
  });

  it('names the offending variable or terminal field when the configuration is invalid', () => {
    expect(() => readGatewayEnv({ JT808_PORT: 'x' })).toThrow(/JT808_PORT/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: terminals({ ...terminal, phone: 'abc' }) })).toThrow(/0\.phone/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: '{' })).toThrow(GatewayError);
    expect(() => readGatewayEnv({ JT808_MAX_FUTURE_SKEW_S: '-1' })).toThrow(/JT808_MAX_FUTURE_SKEW_S/);
    for (const field of ['plateColour', 'manufacturerId', 'terminalModel', 'terminalId']) {
      const { [field as keyof typeof terminal]: _gone, ...rest } = terminal;
      expect(() => readGatewayEnv({ JT808_TERMINALS: terminals(rest) })).toThrow(new RegExp(`0\\.${field}`));
    }
    expect(() => readGatewayEnv({ JT808_TERMINALS: terminals({ ...terminal, manufacturerId: '123456789012' }) })).toThrow(/0\.manufacturerId: must be at most 11 characters/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: terminals({ ...terminal, plate: 'SIM' }) })).toThrow(/must be a plate like 浙J·12345/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: terminals(terminal, { ...terminal, phone: '13900000001', plate: '浙J12345' }) })).toThrow(/name the same plate/);
  });

  it('refuses the retired HMAC secret and fixed codes, saying codes are now issued at registration', () => {
    expect(() => readGatewayEnv({ JT808_AUTH_SECRET: 'unit-test-secret-0123456789' })).toThrow(/JT808_AUTH_SECRET is no longer used: auth codes are now issued at registration/);
    expect(() => readGatewayEnv({ JT808_TERMINALS: terminals({ ...terminal, authCode: 'code-4329' }) })).toThrow(/0\.authCode: fixed auth codes are no longer supported: auth codes are now issued at registration/);
  });

  it('reads the driver message settings: on/off, gateway id, its consumer group and both timeouts', () => {
    const e = readGatewayEnv({ JT808_DRIVER_MESSAGES: 'false', JT808_GATEWAY_ID: 'gw-east-1', JT808_MESSAGE_CONNECT_TIMEOUT_S: '120', JT808_MESSAGE_REPLY_TIMEOUT_S: '20' });
    expect(e.gateway).toMatchObject({ driverMessages: false, gatewayId: 'gw-east-1', driverMessagesGroupId: 'dgt-jt808-gateway-gw-east-1', messageConnectTimeoutMs: 120_000, messageReplyTimeoutMs: 20_000 });
    expect(readGatewayEnv({ JT808_MESSAGES_GROUP_ID: 'g1' }).gateway.driverMessagesGroupId).toBe('g1');
    expect(readGatewayEnv({}).gateway).toMatchObject({ driverMessages: true, messageConnectTimeoutMs: 600_000, messageReplyTimeoutMs: 60_000 });
  });

  it('refuses a gateway id with characters an event id may not hold, and a zero timeout, naming the variable', () => {
    expect(() => readGatewayEnv({ JT808_GATEWAY_ID: 'gw/1' })).toThrow(/JT808_GATEWAY_ID: must be 1–64 of/);
    expect(() => readGatewayEnv({ JT808_MESSAGE_REPLY_TIMEOUT_S: '0' })).toThrow(/JT808_MESSAGE_REPLY_TIMEOUT_S/);
  });
});
