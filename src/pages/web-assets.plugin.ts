import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_ROOT } from '../common/web-assets.js';

const YEAR_MS = 365 * 86_400_000;
const EMBED_LOADER_MAX_AGE_MS = 300_000;

/**
 * Compression for every answer worth it, and the built browser code:
 * `/assets/*` (hashed names, cached for a year) and `/embed.js` (the stable
 * loader authors paste, cached five minutes). Called before the app's routes
 * are registered, so compression reaches them too. Without a build
 * (dist/web missing) pages still render, only without their scripts.
 */
export async function serveWebAssets(http: NestFastifyApplication): Promise<void> {
  const fastify = http.getHttpAdapter().getInstance();
  await fastify.register(fastifyCompress, { global: true, globalDecompression: false });
  if (!existsSync(WEB_ROOT)) {
    fastify.log.warn(`${WEB_ROOT} does not exist: run npm run build; pages render without scripts`);
  }
  await fastify.register(fastifyStatic, {
    root: join(WEB_ROOT, 'assets'),
    prefix: '/assets/',
    index: false,
    list: false,
    dotfiles: 'deny',
    maxAge: YEAR_MS,
    immutable: true,
    wildcard: true,
    // header() answers the reply itself (a thenable): nothing to wait for.
    setHeaders: (reply) => void reply.header('x-content-type-options', 'nosniff'),
  });
  fastify.get('/embed.js', (_request, reply) =>
    reply
      .header('x-content-type-options', 'nosniff')
      .sendFile('embed.js', WEB_ROOT, { maxAge: EMBED_LOADER_MAX_AGE_MS, immutable: false }),
  );
}
