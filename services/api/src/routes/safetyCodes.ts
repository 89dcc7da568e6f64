import rateLimit from '@fastify/rate-limit';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import {
  findLabelFont,
  labelPng,
  LabelFontError,
  openLabelFont,
  type LabelFont,
} from '@dgt/labelprint';
import type { ReadModelStore } from '@dgt/readmodels';
import { labelSvg, mintCode, scanInstruction, type Keyring } from '@dgt/safetycodes';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { scopeOf } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId } from '../queryParams.ts';
import { productOf } from '../safetyCodes/productCatalogue.ts';
import {
  publicScan,
  revokedMessage,
  revokedScan,
  unknownMessage,
} from '../safetyCodes/publicScan.ts';
import { resolveScan } from '../safetyCodes/resolveScan.ts';
import { vehicleCodeOf } from '../safetyCodes/vehicleCodes.ts';
import {
  revokedPageHtml,
  scanPageCsp,
  scanPageHtml,
  unknownPageHtml,
} from '../safetyCodes/scanPage.ts';

interface SafetyCodeSources {
  /** null: API_SAFETY_CODE_KEY is not set; the routes answer 503. */
  readonly keys: Keyring | null;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
}

export interface SafetyCodeRoutesOptions extends SafetyCodeSources {
  /**
   * The public address phones reach the scan page at (API_PUBLIC_BASE_URL), put in the QR code of
   * a label the API draws; absent: the address the request came to (as the desk's code link is).
   */
  readonly publicBaseUrl?: string;
  /** The font PNG labels are drawn with (API_LABEL_FONT); absent: one with Chinese glyphs found on this machine. */
  readonly labelFontFile?: string;
}

export interface PublicSafetyCodeRoutesOptions extends SafetyCodeSources {
  /** Scans per minute per client IP; default `scansPerMinutePerIp`. */
  readonly scansPerMinute?: number;
}

/**
 * A firefighter scans a few labels at a scene; a phone scanning hundreds a minute is walking
 * the code space or scraping. Per IP, since the page has no key. Generous enough for a crowd
 * behind one carrier-grade NAT at an incident, tight enough to make enumeration pointless.
 */
export const scansPerMinutePerIp = 60;

const notConfigured = 'safety codes are not configured (API_SAFETY_CODE_KEY)';
const codeParams = z.object({ code: z.string().min(1).max(400) });
/** Path of a code's scan page; the printer puts its public base URL in front. */
export const scanPath = (code: string): string => `/s/${code}`;

/**
 * The public side of 一企一品一码: `GET /s/:code` (the roadside page) and `GET /v1/public/codes/:code`
 * (the same as JSON). No key: the code is the authorisation, and `publicScan` is all it shows.
 */
export const publicSafetyCodeRoutes: FastifyPluginAsyncZod<PublicSafetyCodeRoutesOptions> = async (
  app,
  { keys, store, readModels, scansPerMinute = scansPerMinutePerIp },
) => {
  await app.register(rateLimit, {
    global: true,
    max: scansPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `scan:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `扫码过于频繁，请稍后再试（${context.after}）`, undefined, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });

  const resolve = async (code: string) => {
    if (keys === null) throw new AppError('UNAVAILABLE', notConfigured);
    return resolveScan(code, { keys, store, readModels });
  };

  app.get(
    '/v1/public/codes/:code',
    {
      config: { roles: 'public' },
      schema: {
        params: codeParams,
        response: {
          200: publicScan,
          410: revokedScan,
          404: errorResponse,
          429: errorResponse,
          503: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const outcome = await resolve(request.params.code);
      reply.header('cache-control', 'no-store');
      if (outcome.status === 'unknown') throw new AppError('NOT_FOUND', unknownMessage);
      if (outcome.status === 'revoked')
        return reply
          .code(410)
          .send({ status: 'revoked', kind: outcome.kind, message: revokedMessage });
      // The whole unfiltered view goes in; the response schema lets only the public fields out.
      return outcome.view as z.infer<typeof publicScan>;
    },
  );

  app.get(
    '/s/:code',
    { config: { roles: 'public' }, schema: { hide: true, params: codeParams } },
    async (request, reply) => {
      const outcome = await resolve(request.params.code);
      reply
        .header('content-security-policy', scanPageCsp)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8');
      if (outcome.status === 'unknown') return reply.code(404).send(unknownPageHtml());
      if (outcome.status === 'revoked') return reply.code(410).send(revokedPageHtml());
      // Parsed, not cast: the page can only print what the public schema lists.
      return reply.send(scanPageHtml(publicScan.parse(outcome.view)));
    },
  );
};

const vehicleCode = z.object({
  vehicleId: z.string(),
  plateNo: z.string().nullable(),
  /** Revocations so far plus one: a reprint after a revocation shows a new code. */
  generation: z.number().int(),
  code: z.string(),
  path: z.string(),
});
const productCode = z.object({
  firmId: z.string(),
  productId: z.string(),
  name: z.string(),
  unNumber: z.string(),
  hazardClass: z.string(),
  /** Revocations so far plus one: a reprint after a revocation shows a new code. */
  generation: z.number().int(),
  code: z.string(),
  path: z.string(),
});

/** File names from ids, as `dgt codes print` names them: anything outside a safe set becomes "_". */
const safeName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_');

/** A label file is downloaded, never shown in the API's origin: an SVG opened there could run script. */
const labelCsp = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * The codes to print: a vehicle's (bureau, enforcement, the carrier that owns it) and a firm's
 * product's (bureau, enforcement, the firm's own carrier key). Minting is deterministic, so the
 * same code comes back until the code is revoked or the key is rotated. A vehicle's label comes
 * as SVG or PNG, drawn by the same builder and rasteriser as `dgt codes print`.
 */
export const safetyCodeRoutes: FastifyPluginAsyncZod<SafetyCodeRoutesOptions> = async (
  app,
  { keys, store, readModels, publicBaseUrl, labelFontFile },
) => {
  const keyring = (): Keyring => {
    if (keys === null) throw new AppError('UNAVAILABLE', notConfigured);
    return keys;
  };

  /** The vehicle's current code, if the caller may see the vehicle (another carrier's is unknown to it: 404). */
  const vehicleCodeFor = async (request: FastifyRequest, vehicleId: string) => {
    const k = keyring();
    const vehicle = await readModels.vehicle(vehicleId, scopeOf(request.principal));
    if (vehicle === undefined) throw new AppError('NOT_FOUND', 'no such vehicle');
    const { generation } = await vehicleCodeOf(store, vehicle.vehicleId);
    const code = mintCode({ kind: 'vehicle', vehicleId: vehicle.vehicleId, generation }, k);
    return {
      vehicleId: vehicle.vehicleId,
      plateNo: vehicle.plateNo,
      generation,
      code,
      path: scanPath(code),
    };
  };

  /** What a vehicle's label shows: the scan URL in its QR code and the plate (the id when it has none). */
  const vehicleLabelFor = async (request: FastifyRequest, vehicleId: string) => {
    const printed = await vehicleCodeFor(request, vehicleId);
    const base = publicBaseUrl ?? `${request.protocol}://${request.host}`;
    return {
      url: `${base.replace(/\/+$/, '')}${printed.path}`,
      title: printed.plateNo ?? printed.vehicleId,
      fileStem: `vehicle-${safeName(printed.vehicleId)}`,
    };
  };

  // Found at the first PNG asked for, then kept; a failed search is tried again at the next one,
  // so a font installed on a running API is found without a restart.
  let font: Promise<LabelFont> | undefined;
  const labelFont = (): Promise<LabelFont> => {
    font ??= (
      labelFontFile === undefined
        ? findLabelFont(scanInstruction)
        : openLabelFont(labelFontFile, scanInstruction)
    ).catch((error: unknown) => {
      font = undefined;
      throw error;
    });
    return font;
  };

  app.get(
    '/v1/vehicles/:id/code',
    {
      config: { roles: ['bureau', 'enforcement', 'carrier'] },
      schema: { params: z.object({ id: entityId }), response: { 200: vehicleCode, ...readErrors } },
    },
    async (request) => vehicleCodeFor(request, request.params.id),
  );

  app.get(
    '/v1/vehicles/:id/code/label.svg',
    {
      config: { roles: ['bureau', 'enforcement', 'carrier'] },
      schema: { params: z.object({ id: entityId }), response: { 200: z.string(), ...readErrors } },
    },
    async (request, reply) => {
      const label = await vehicleLabelFor(request, request.params.id);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${label.fileStem}.svg"`)
        .header('content-security-policy', labelCsp)
        .header('cache-control', 'no-store')
        .send(await labelSvg(label.url, label.title));
    },
  );

  app.get(
    '/v1/vehicles/:id/code/label.png',
    {
      config: { roles: ['bureau', 'enforcement', 'carrier'] },
      schema: {
        params: z.object({ id: entityId }),
        response: { 200: z.string(), ...readErrors },
      },
    },
    async (request, reply) => {
      const label = await vehicleLabelFor(request, request.params.id);
      let png: Uint8Array;
      try {
        png = await labelPng(label.url, label.title, await labelFont());
      } catch (error) {
        // No font that can draw the label's text on this server: say so, rather than send boxes.
        if (error instanceof LabelFontError)
          throw new AppError(
            'UNAVAILABLE',
            `PNG labels cannot be drawn here: ${error.message} (API_LABEL_FONT); the SVG label needs no font on the server`,
          );
        throw error;
      }
      return reply
        .type('image/png')
        .header('content-disposition', `attachment; filename="${label.fileStem}.png"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(png) as unknown as string);
    },
  );

  app.get(
    '/v1/products/:firmId/:productId/code',
    {
      config: { roles: ['bureau', 'enforcement', 'carrier'] },
      schema: {
        params: z.object({ firmId: entityId, productId: entityId }),
        response: { 200: productCode, ...readErrors },
      },
    },
    async (request) => {
      const k = keyring();
      const { firmId, productId } = request.params;
      // A carrier prints the codes of its own products only (its firm id is its carrier id); any other is unknown to it.
      const scope = scopeOf(request.principal);
      const entry =
        scope.carrierId !== null && scope.carrierId !== firmId
          ? undefined
          : await productOf(store, firmId, productId);
      if (entry === undefined) throw new AppError('NOT_FOUND', 'no such product');
      const code = mintCode(
        { kind: 'product', firmId, productId, generation: entry.generation },
        k,
      );
      const p = entry.product;
      return {
        firmId,
        productId,
        name: p.properShippingName,
        unNumber: p.unNumber,
        hazardClass: p.hazardClass,
        generation: entry.generation,
        code,
        path: scanPath(code),
      };
    },
  );
};
