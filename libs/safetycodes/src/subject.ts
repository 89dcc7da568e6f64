/**
 * What a safety code stands for. A product code names the firm's product (一企一品一码); a vehicle
 * code names the vehicle, and its scan shows whatever that vehicle is carrying at the time.
 * `generation` counts the product's or the vehicle's code revocations plus one: revoking retires
 * the code in use and the next one minted differs.
 */
export type CodeSubject =
  | {
      readonly kind: 'product';
      readonly firmId: string;
      readonly productId: string;
      readonly generation: number;
    }
  | { readonly kind: 'vehicle'; readonly vehicleId: string; readonly generation: number };

export type CodeKind = CodeSubject['kind'];

/** A stable key for maps: one per product or vehicle, whatever the generation. */
export function subjectKey(
  subject: Pick<CodeSubject, 'kind'> &
    Partial<{ firmId: string; productId: string; vehicleId: string }>,
): string {
  return subject.kind === 'product'
    ? `product:${subject.firmId}/${subject.productId}`
    : `vehicle:${subject.vehicleId}`;
}
