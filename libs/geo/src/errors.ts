export type ZoneGeometryErrorCode =
  | 'INVALID_COORDINATE'
  | 'UNKNOWN_KIND'
  | 'UNKNOWN_DATUM'
  | 'POLYGON_REQUIRED'
  | 'POLYGON_TOO_FEW_VERTICES'
  | 'PATH_REQUIRED'
  | 'PATH_TOO_SHORT'
  | 'BUFFER_REQUIRED'
  | 'BUFFER_INVALID'
  | 'ZONE_TOO_LARGE';

/** A zone whose geometry cannot be indexed; nothing was changed in the index. */
export class ZoneGeometryError extends Error {
  override readonly name = 'ZoneGeometryError';
  readonly code: ZoneGeometryErrorCode;
  readonly zoneId: string;

  constructor(code: ZoneGeometryErrorCode, zoneId: string, message: string) {
    super(`zone ${zoneId}: ${message}`);
    this.code = code;
    this.zoneId = zoneId;
  }
}

export type ZoneIndexErrorCode = 'INVALID_RESOLUTION' | 'INVALID_TIME';

export class ZoneIndexError extends Error {
  override readonly name = 'ZoneIndexError';
  readonly code: ZoneIndexErrorCode;

  constructor(code: ZoneIndexErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
