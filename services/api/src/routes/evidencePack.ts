import { publicKeyJwk, publicKeyPem, type SigningKey } from '@dgt/evidence';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles } from '../access.ts';
import { caseIdPattern } from '../cases/caseIds.ts';
import type { ContentStore } from '../cases/contentStore.ts';
import { caseEvidencePack, packTar } from '../cases/evidencePack.ts';
import { readErrors } from '../errorResponses.ts';

export interface EvidencePackRoutesOptions {
  readonly store: EventStore;
  readonly content: ContentStore;
  /** The bureau's evidence key (DGT_EVIDENCE_SIGNING_KEY); null: packs cannot be signed, so none are served. */
  readonly signingKey: SigningKey | null;
  readonly toolVersion: string;
  readonly now: () => Date;
}

const publicKeyResponse = z.object({
  keyId: z.string(),
  pem: z.string(),
  jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') }),
});

const notConfigured = 'evidence signing is not configured: set DGT_EVIDENCE_SIGNING_KEY (or _FILE) to an Ed25519 private key (openssl genpkey -algorithm ed25519)';

/**
 * `GET /v1/cases/:id/evidence-pack`: the case's signed evidence pack as a tar archive, to whoever
 * may see the case (a carrier only its own: 404 otherwise). `GET /v1/evidence/public-key`: the key
 * packs are signed with, public (anyone checking a pack needs it, and it grants nothing).
 */
export const evidencePackRoutes: FastifyPluginAsyncZod<EvidencePackRoutesOptions> = async (app, { store, content, signingKey, toolVersion, now }) => {
  app.get('/v1/evidence/public-key', { config: { roles: 'public' }, schema: { response: { 200: publicKeyResponse, 404: errorResponse } } }, async () => {
    if (signingKey === null) throw new AppError('NOT_FOUND', notConfigured);
    return { keyId: signingKey.keyId, pem: publicKeyPem(signingKey.publicKey), jwk: publicKeyJwk(signingKey.publicKey) };
  });

  app.get(
    '/v1/cases/:id/evidence-pack',
    {
      config: { roles: readRoles },
      schema: { params: z.object({ id: z.string().regex(caseIdPattern, 'must be a case id such as C-20261203-7K3QX9') }), response: { 200: z.string(), ...readErrors, 409: errorResponse, 500: errorResponse } },
    },
    async (request, reply) => {
      if (signingKey === null) throw new AppError('UNAVAILABLE', notConfigured);
      const caseId = request.params.id;
      const signed = await caseEvidencePack({ store, content, key: signingKey, toolVersion }, caseId, request.principal, now());
      const tar = await packTar(signed, caseId);
      return reply
        .type('application/x-tar')
        .header('content-disposition', `attachment; filename="${caseId}-evidence.tar"`)
        .header('cache-control', 'no-store')
        .send(tar as unknown as string);
    },
  );
};
