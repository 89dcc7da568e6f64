import { AppError, errorResponse } from '@dgt/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ContentStore } from '../cases/contentStore.ts';
import { isUploadType, looksLike, uploadTypeNames } from '../cases/uploadTypes.ts';

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const storedAttachment = z.object({
  sha256: z.string().meta({ description: 'The file’s address: cite it with name, type and size in a check, a response or a corrective action' }),
  size: z.number().int(),
  type: z.enum(uploadTypeNames),
});

export interface AttachmentRoutesOptions {
  readonly content: ContentStore;
  readonly maxBytes?: number;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * `POST /v1/attachments`: a photo or document for a case (an officer's check, a carrier's appeal
 * or corrective action), its bytes as the body with their content type. Stored content-addressed;
 * the answer is the address to cite. Downloaded through the case that cites it
 * (GET /v1/cases/:id/attachments/:sha256), never by address alone.
 */
export const attachmentRoutes: FastifyPluginAsyncZod<AttachmentRoutesOptions> = async (app, { content, maxBytes = DEFAULT_MAX_UPLOAD_BYTES }) => {
  // Raw bodies of these types only in this plugin: every other route still takes JSON only.
  app.addContentTypeParser(uploadTypeNames, { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/attachments',
    {
      config: { roles: ['enforcement', 'carrier'] },
      bodyLimit: maxBytes,
      schema: { response: { 201: storedAttachment, 400: errorResponse, 401: errorResponse, 403: errorResponse, 413: errorResponse, 415: errorResponse } },
    },
    async (request, reply) => {
      const type = mediaType(request.headers['content-type']);
      const body: unknown = request.body;
      if (!isUploadType(type) || !Buffer.isBuffer(body)) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', `upload the file's bytes as the body, with Content-Type ${uploadTypeNames.join(', ')}`);
      }
      if (body.byteLength === 0) throw new AppError('VALIDATION_FAILED', 'the file is empty', [{ path: 'body', message: 'must not be empty (0 bytes)' }]);
      if (!looksLike(type, body)) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', `the body is not a ${type} file (its first bytes say otherwise)`);
      }
      const stored = await content.put(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), type);
      return reply.code(201).send({ ...stored, type });
    },
  );
};
