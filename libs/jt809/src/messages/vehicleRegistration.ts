import { checkInt, putText, text } from '../bytes.ts';
import { Jt809DecodeError, Jt809EncodeError } from '../errors.ts';
import type { Edition } from '../header.ts';

/**
 * 0x1201: the platform declares the terminal fitted to a vehicle. Field widths differ: 2019 has
 * 11/11/30/15 (IMEI)/30/13 (110 bytes); 2011 has 11/11/20/7/12 (61 bytes, SmallChi/JT809) — and
 * frames in the wild, and tucke/java-jtt809-2011, use an 8-byte terminal model (49 bytes). The
 * body length tells which; `modelWidth` records it so an encoder can reproduce either.
 */
export interface VehicleRegistration {
  readonly kind: 'registration';
  readonly platformCode: string;
  readonly producerId: string;
  readonly terminalModel: string;
  /** 2019 only. */
  readonly imei: string | undefined;
  readonly terminalId: string;
  readonly simCode: string;
  readonly modelWidth: 8 | 20 | 30;
}

type Widths = readonly [platform: number, producer: number, model: number, imei: number, terminal: number, sim: number];
const LAYOUTS: Readonly<Record<number, { edition: Edition; widths: Widths }>> = {
  110: { edition: '2019', widths: [11, 11, 30, 15, 30, 13] },
  61: { edition: '2011', widths: [11, 11, 20, 0, 7, 12] },
  49: { edition: '2011', widths: [11, 11, 8, 0, 7, 12] },
};

export function decodeVehicleRegistration(b: Uint8Array, start: number, end: number, edition: Edition): VehicleRegistration {
  const layout = LAYOUTS[end - start];
  if (layout === undefined || layout.edition !== edition) {
    const expected = edition === '2019' ? '110' : '61 or 49';
    throw new Jt809DecodeError(end - start < (edition === '2019' ? 110 : 49) ? 'truncated' : 'length-mismatch', `0x1201 (${edition}) needs ${expected} bytes, has ${end - start}`);
  }
  const [wp, wr, wm, wi, wt, ws] = layout.widths;
  let o = start;
  const take = (width: number): string => {
    // Table 19 (2011) types these fields BYTES with no padding rule, and platforms pad them on
    // either side: a published 2011 frame (SmallChi/JT809, JT809_0x1200_0x1201Test Test3) sends
    // platform "\0\0\0\0\0\0\01011". Leading NULs are never text; kept, they would make the
    // gateway's registry comparison fail on a correct registration.
    let from = o;
    const stop = o + width;
    while (from < stop && b[from] === 0) from++;
    const value = text(b, from, stop - from);
    o = stop;
    return value;
  };
  const platformCode = take(wp);
  const producerId = take(wr);
  const terminalModel = take(wm);
  const imei = wi === 0 ? undefined : take(wi);
  const terminalId = take(wt);
  const simCode = take(ws);
  return { kind: 'registration', platformCode, producerId, terminalModel, imei, terminalId, simCode, modelWidth: wm as 8 | 20 | 30 };
}

export function encodeVehicleRegistration(m: Omit<VehicleRegistration, 'kind' | 'modelWidth'> & { modelWidth?: 8 | 20 | 30 }, edition: Edition): Uint8Array {
  const modelWidth = m.modelWidth ?? (edition === '2019' ? 30 : 20);
  const entry = Object.entries(LAYOUTS).find(([, l]) => l.edition === edition && l.widths[2] === modelWidth);
  if (entry === undefined) throw new Jt809EncodeError(`no ${edition} 0x1201 layout has a ${modelWidth}-byte terminal model`);
  const [length, { widths }] = entry;
  const out = new Uint8Array(Number(length));
  const values = [m.platformCode, m.producerId, m.terminalModel, m.imei ?? '', m.terminalId, m.simCode];
  const names = ['platformCode', 'producerId', 'terminalModel', 'imei', 'terminalId', 'simCode'];
  let o = 0;
  widths.forEach((w, i) => {
    if (w === 0) {
      if (values[i] !== '') throw new Jt809EncodeError(`${names[i]} exists in 2019 bodies only`);
      return;
    }
    putText(out, o, w, values[i]!, names[i]!);
    o += w;
  });
  checkInt('0x1201 length', o, out.length);
  return out;
}
