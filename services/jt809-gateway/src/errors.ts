export type GatewayErrorCode = 'INVALID_CONFIG' | 'NON_DURABLE_BUS';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
