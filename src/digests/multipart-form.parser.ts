import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * Mail providers may send the RFC 8058 one-click unsubscribe POST as
 * multipart/form-data (the RFC's own example does); Fastify parses only JSON
 * and urlencoded bodies and would answer 415, so the unsubscribe would not
 * happen. Text fields are read with the runtime's own FormData parser.
 */
@Injectable()
export class MultipartFormParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as FastifyAdapter | undefined;
    // Worker processes and the CLI serve no HTTP.
    if (typeof adapter?.useBodyParser !== 'function') return;
    adapter.useBodyParser('multipart/form-data', false, undefined, (request, body, done) => {
      new Response(body, { headers: { 'content-type': String(request.headers['content-type']) } })
        .formData()
        .then((form) => {
          const fields: Record<string, string> = {};
          form.forEach((value, name) => {
            if (typeof value === 'string') fields[name] = value;
          });
          done(null, fields);
        })
        .catch(() =>
          done(Object.assign(new Error('Malformed multipart body'), { statusCode: 400 })),
        );
    });
  }
}
