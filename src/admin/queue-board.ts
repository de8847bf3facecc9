import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { ALL_QUEUES } from '../queue/queue-names.js';
import { UserRole } from '../users/user.entity.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const SESSION_COOKIE = 'rizom_session';

/**
 * Bull Board at /admin/queues, for the author only: a session token as a
 * Bearer header, or the cookie the sign-in page sets for /admin. Mounted only
 * with the Redis queue backend, which Bull Board supports.
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const queues = ALL_QUEUES.map((name) => app.get<Queue>(getQueueToken(name), { strict: false }));
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter: board,
  });
  const auth = app.get(AuthService, { strict: false });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const token = sessionToken(request);
        const user = token ? await auth.userForSession(token).catch(() => null) : null;
        if (!user)
          return reply
            .code(401)
            .header('cache-control', 'no-store')
            .send({ error: { code: 'UNAUTHENTICATED', message: 'Sign in as the author.' } });
        if (user.role !== UserRole.AUTHOR)
          return reply
            .code(403)
            .send({ error: { code: 'FORBIDDEN', message: 'Only the author can see the queues.' } });
      });
      await scope.register(board.registerPlugin());
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}

function sessionToken(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const cookie = request.headers.cookie ?? '';
  return cookie
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === SESSION_COOKIE)?.[1];
}
