import type { RuntimeConfig } from '../config/runtime.js';

/**
 * Headers of the hosted pages: our own scripts and styles only, live updates
 * over our own graphql-ws, never framed.
 */
export function hostedPageHeaders(config: RuntimeConfig): Record<string, string> {
  return {
    ...common(config, "'none'"),
    'x-frame-options': 'DENY',
  };
}

/**
 * Headers of the embeddable conversation: framed by our own pages and the
 * sites in EMBED_ORIGINS, nobody else. No X-Frame-Options: it cannot list
 * sites, and frame-ancestors takes precedence in every current browser.
 */
export function embedPageHeaders(config: RuntimeConfig): Record<string, string> {
  return common(config, ["'self'", ...config.embedOrigins].join(' '));
}

function common(config: RuntimeConfig, frameAncestors: string): Record<string, string> {
  const origin = new URL(config.publicUrl);
  const socket = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' https: data:",
      `connect-src 'self' ${socket}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${frameAncestors}`,
    ].join('; '),
  };
}
