/** A position as [longitude, latitude] in degrees (GeoJSON order). */
export type LonLat = readonly [number, number];

export type ZoneKind = 'parking-lot' | 'accident-segment' | 'chemical-park' | 'restricted-area';

export type Datum = 'WGS84' | 'GCJ02';

/** A zone as designated: coordinates in the declared datum. */
export interface ZoneSpec {
  zoneId: string;
  kind: ZoneKind;
  name: string;
  datum: Datum;
  polygon?: readonly LonLat[];
  path?: readonly LonLat[];
  bufferM?: number;
}

/** One version of a zone, applying on [fromMs, toMs). Coordinates are WGS-84 whatever the declared datum. */
export interface ZoneVersion {
  zoneId: string;
  kind: ZoneKind;
  name: string;
  fromMs: number;
  /** Infinity while active. */
  toMs: number;
  /** WGS-84, as given (open or closed). */
  polygon?: readonly LonLat[];
  /** WGS-84, with consecutive points closer than 1 cm merged (see zoneGeometry.ts). */
  path?: readonly LonLat[];
  bufferM?: number;
  /** As declared. */
  datum: Datum;
}
