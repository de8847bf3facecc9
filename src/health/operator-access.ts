import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/config.js';

/**
 * Whether `authorization` is "Bearer <METRICS_TOKEN>": the operator's key to
 * /metrics and the detailed /health. Compared in constant time.
 */
export function isOperator(config: AppConfig, authorization: string | undefined): boolean {
  if (!config.metricsToken || !authorization) return false;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(config.metricsToken));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
