import { need, u16 } from '../bytes.ts';
import type { ProtocolFlavour } from '../header.ts';
import { decodeGbk } from '../text.ts';

export interface RegisterMessage {
  readonly type: 'register';
  readonly provinceId: number;
  readonly cityId: number;
  readonly manufacturerId: string;
  readonly terminalModel: string;
  readonly terminalId: string;
  /** Plate colour code (JT/T 697.7: 1 blue, 2 yellow, 3 black, 4 white, 9 other; 0 = no plate, VIN follows). */
  readonly plateColor: number;
  /** Plate number, or the VIN when plateColor is 0. */
  readonly plate: string;
}

// Field widths differ by edition: manufacturer 5/11, model 20/30, terminal id 7/30 bytes.
const WIDTHS = {
  '2013': { manufacturer: 5, model: 20, terminalId: 7 },
  '2019': { manufacturer: 11, model: 30, terminalId: 30 },
} as const;

/** 0x0100 terminal registration. */
export function decodeRegister(body: Uint8Array, flavour: ProtocolFlavour): RegisterMessage {
  const w = WIDTHS[flavour];
  const fixed = 4 + w.manufacturer + w.model + w.terminalId + 1;
  need(body, 0, fixed, 'register body');
  let o = 4;
  const manufacturerId = decodeGbk(body, o, (o += w.manufacturer));
  const terminalModel = decodeGbk(body, o, (o += w.model));
  const terminalId = decodeGbk(body, o, (o += w.terminalId));
  const plateColor = body[o++]!;
  return {
    type: 'register',
    provinceId: u16(body, 0),
    cityId: u16(body, 2),
    manufacturerId,
    terminalModel,
    terminalId,
    plateColor,
    plate: decodeGbk(body, o, body.length),
  };
}
