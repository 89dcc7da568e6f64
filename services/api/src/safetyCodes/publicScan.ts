import { z } from 'zod';

/*
 * What a scan may show, and nothing else: the one list of public fields. The JSON route has it
 * as its response schema (fastify serialises only what it lists) and the HTML page renders only
 * the result of parsing with it, so a field added to a product, a read-model row or a waybill
 * never reaches a roadside phone unless it is added here. Never positions, tracks, violations,
 * waybill numbers, plates, drivers, escorts or any person's data.
 */

/** The hazard class with its Chinese name; the page draws the label (diamond) from the class. */
const hazard = { hazardClass: z.string(), hazardClassName: z.string() };

/** What to do and whom to call, from the firm's product registration. */
export const emergencyInfo = z.object({
  emergencyMeasures: z.string(),
  emergencyPhone: z.string(),
  /** The firm's name is not shown: the phone is what is needed at the scene. */
  sdsUrl: z.string().nullable(),
});

export const publicProduct = z.object({
  name: z.string().meta({ description: 'Proper shipping name (正式运输名称)' }),
  unNumber: z.string(),
  ...hazard,
  packingGroup: z.string().nullable(),
  ...emergencyInfo.shape,
});

export const publicGoodsItem = z.object({
  name: z.string(),
  unNumber: z.string(),
  ...hazard,
  /** The consignor's registered product of this UN number, when it registered one. */
  emergency: emergencyInfo.nullable(),
});

export const publicScan = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('product'), status: z.literal('valid'), product: publicProduct }),
  z.object({
    kind: z.literal('vehicle'),
    status: z.literal('valid'),
    /** loaded: the waybill's loading is recorded; assigned: a waybill is assigned, loading not yet recorded; empty: no waybill. */
    loadState: z.enum(['loaded', 'assigned', 'empty']),
    goods: z.array(publicGoodsItem),
  }),
]);

export const revokedScan = z.object({
  status: z.literal('revoked'),
  kind: z.enum(['product', 'vehicle']),
  message: z.string(),
});

export type PublicScan = z.infer<typeof publicScan>;
export type RevokedScan = z.infer<typeof revokedScan>;

export const revokedMessage =
  '此安全码已作废，请勿依据本标签处置。请核对车辆随车携带的电子运单与安全技术说明书，或拨打 119。';
export const unknownMessage = '未找到此安全码。标签可能有误或系伪造，请核对随车运单，或拨打 119。';
