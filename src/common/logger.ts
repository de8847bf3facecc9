import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/config.js';

export type LogFormat = 'pretty' | 'json';

/** Human-readable lines for a person at a terminal (outside production); JSON lines otherwise. */
export function logFormat(config: Pick<AppConfig, 'isProduction'>, isTty: boolean): LogFormat {
  return !config.isProduction && isTty ? 'pretty' : 'json';
}

/** Structured logs, one object per line; pretty-printed (synchronously) at a terminal. */
export function createLogger(
  config: Pick<AppConfig, 'logLevel' | 'isProduction'>,
  isTty = process.stdout.isTTY === true,
): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'rizom-conversations', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
  };
  if (logFormat(config, isTty) === 'json') return pino(options);
  return pino(
    options,
    pretty({
      sync: true,
      colorize: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service,reqId,context',
      singleLine: true,
      messageFormat: '{if context}[{context}] {end}{msg}',
      hideObject: false,
    }),
  );
}

const STARTUP_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Lets Nest's own log lines go through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    // Nest's start-up inventory (every module and route) is for debugging, not for the log a person reads.
    const inventory =
      (context && STARTUP_INVENTORY.has(context)) || /^Mapped \{/.test(String(message));
    this.write(inventory ? 'debug' : 'info', message, context);
  }
  error(message: unknown, traceOrContext?: string, context?: string): void {
    const trace = context ? traceOrContext : undefined;
    this.logger.error(
      { context: context ?? traceOrContext, ...(trace ? { stack: trace } : {}) },
      String(message),
    );
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(
    level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    context?: string,
  ): void {
    if (typeof message === 'object' && message !== null)
      this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
