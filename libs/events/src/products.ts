import { z } from 'zod';
import { hazardClass } from './consignments.ts';
import { identifier } from './primitives.ts';

/*
 * 一企一品一码: the register of each firm's hazardous products, the safety information a
 * firefighter or a police officer reads at the roadside when they scan the product's code.
 * Posted with a `registry` key only (like carriers and vehicles), recorded in `product-<firmId>`.
 */

/** An emergency telephone number as printed on a label: digits with optional +, spaces and dashes. */
const emergencyPhone = z
  .string()
  .regex(/^\+?[0-9][0-9 -]{1,30}[0-9]$/, 'must be a telephone number, e.g. 0576-88881234 or 119');

/** Only http(s) links: the scan page prints it as a link, so no `javascript:` or `data:` URL may pass. */
const sdsUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000, 'must be at most 2000 characters');

/**
 * A firm registers (or updates: the latest registration counts) one of its products.
 * Every field is public: it is exactly what the product's safety code shows.
 */
export const productRegisteredData = z.looseObject({
  firmId: identifier,
  productId: identifier,
  unNumber: z.string().regex(/^\d{4}$/, 'must be a four-digit UN number, e.g. "1230"'),
  /** 正式运输名称 (proper shipping name), as on the waybill, e.g. 甲醇. */
  properShippingName: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
  hazardClass,
  /** GB 12268 packing group, when the product has one (gases and some classes have none). */
  packingGroup: z.enum(['I', 'II', 'III']).optional(),
  /** 应急处置措施: what to do at the scene, in Chinese, as the firm's SDS says it. */
  emergencyMeasures: z
    .string()
    .min(1, 'must not be empty')
    .max(4000, 'must be at most 4000 characters'),
  emergencyPhone,
  /** The firm's safety data sheet (化学品安全技术说明书), when published. */
  sdsUrl: sdsUrl.optional(),
});

/**
 * The product's printed code is withdrawn (a label lost, copied or printed wrong). Each revocation
 * retires the code in use: its scans answer "revoked", and the next code minted for the product
 * is a new one (the code's generation is one more than the number of revocations).
 */
export const productCodeRevokedData = z.looseObject({
  firmId: identifier,
  productId: identifier,
  reason: z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});

export type ProductRegisteredData = z.infer<typeof productRegisteredData>;
export type ProductCodeRevokedData = z.infer<typeof productCodeRevokedData>;
