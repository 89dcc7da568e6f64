import { z } from 'zod';

const ruleName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 . _ -');

/**
 * The nearest-lot policy (API_DRIVER_MESSAGE_POLICY): when a vehicle starts parking illegally,
 * tell its driver over JT/T 808 where the nearest dedicated lot is and how far.
 */
export interface DriverMessagePolicy {
  /** Named in each message it requests (`policyRule`). */
  readonly rule: string;
  /** `{lot}` is replaced by the lot's name, `{km}` by the distance in km with one decimal. */
  readonly template: string;
  /** Read the message aloud (TTS) as well as showing it. */
  readonly tts: boolean;
  /**
   * A detection older than this when the API reads it is not messaged: the API reads the record
   * from its beginning at every start, and advice about a stop of last week helps nobody.
   */
  readonly maxAgeMs: number;
}

export const defaultDriverMessagePolicy: DriverMessagePolicy = {
  rule: 'nearest-lot-on-illegal-parking',
  template: '您已在非指定地点停车，请驶入最近的危险货物专用停车场：{lot}，约 {km} 公里',
  tts: true,
  maxAgeMs: 30 * 60_000,
};

const policySchema = z.strictObject({
  rule: ruleName.optional(),
  template: z
    .string()
    .min(1, 'must not be empty')
    .max(300, 'must be at most 300 characters')
    .refine((t) => t.includes('{lot}') && t.includes('{km}'), 'must contain {lot} and {km}')
    .optional(),
  tts: z.boolean().optional(),
  maxAgeMinutes: z.number().int().min(1, 'must be at least 1').max(1440, 'must be at most 1440').optional(),
});

export class DriverMessagePolicyError extends Error {
  override readonly name = 'DriverMessagePolicyError';
}

/**
 * `off` (or unset): no policy. `on`: the default template. Or a JSON object overriding any of
 * `rule`, `template`, `tts`, `maxAgeMinutes`, e.g. `{"template":"请驶入{lot}（{km} 公里）","tts":false}`.
 */
export function driverMessagePolicyOf(text: string | undefined): DriverMessagePolicy | null {
  const t = text?.trim() ?? '';
  if (t === '' || t === 'off') return null;
  if (t === 'on') return defaultDriverMessagePolicy;
  let json: unknown;
  try {
    json = JSON.parse(t);
  } catch (error) {
    throw new DriverMessagePolicyError(`not JSON (${(error as Error).message}); use off, on, or e.g. {"template":"…{lot}…{km}…","tts":true,"maxAgeMinutes":30}`);
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) throw new DriverMessagePolicyError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const p = parsed.data;
  return {
    rule: p.rule ?? defaultDriverMessagePolicy.rule,
    template: p.template ?? defaultDriverMessagePolicy.template,
    tts: p.tts ?? defaultDriverMessagePolicy.tts,
    maxAgeMs: p.maxAgeMinutes === undefined ? defaultDriverMessagePolicy.maxAgeMs : p.maxAgeMinutes * 60_000,
  };
}

/** The policy's text for one lot: its name, and the distance rounded to 0.1 km. */
export function nearestLotText(template: string, lotName: string, distanceM: number): string {
  const km = (Math.round(distanceM / 100) / 10).toFixed(1);
  return template.replaceAll('{lot}', lotName).replaceAll('{km}', km);
}
