import { wellFormedJson } from '@dgt/events';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Every JSON response body is well-formed UTF-8: a lone surrogate taken from stored data (an
 * event recorded before ingest refused them, a zone name) leaves as U+FFFD, never as a `\udXXX`
 * escape strict parsers refuse. Serialised bodies are strings here; routes that send prepared
 * bytes (the fleet pages) make them well-formed when they prepare them.
 */
export const wellFormedJsonPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (_request, reply, payload) => {
      if (typeof payload !== 'string') return payload;
      const type = reply.getHeader('content-type');
      return typeof type === 'string' && type.includes('json') ? wellFormedJson(payload) : payload;
    });
  },
  { name: 'dgt-well-formed-json', fastify: '5.x' },
);
