import type { FrameAddress, LocationInput } from '@dgt/jt808';
import { encodeLocationBody, encodePacket } from '@dgt/jt808';

/** A 0x0200 whose six BCD time bytes are replaced (all zeros before a first fix, or anything). */
export function locationWithTimeBytes(from: FrameAddress, location: LocationInput, time: readonly number[]): Uint8Array {
  const body = encodeLocationBody(location);
  body.set(time, 22);
  return encodePacket({ messageId: 0x0200, flavour: from.flavour, phone: from.phone, serial: from.serial }, body);
}

/** Part `index` of `total` of a sub-packaged message, with `length` body bytes. */
export function subpackage(from: FrameAddress, messageId: number, total: number, index: number, length: number): Uint8Array {
  return encodePacket({ messageId, flavour: from.flavour, phone: from.phone, serial: from.serial, subpacket: { total, index } }, new Uint8Array(length).fill(index & 0xff));
}
