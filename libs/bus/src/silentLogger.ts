import type { BusLogger } from './port.ts';

const ignore = (): void => {};

export const silentLogger: BusLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
