import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';
import type { TrustProxy } from '../config/config.js';

/** Whether the peer `address`, `hop` steps from this server, may speak for the client. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as a function of the peer address and its distance: no one, the
 * nearest `hops` peers (1 = the proxy in front), or the named proxies.
 * Fastify and the WebSocket server both use it, so a client has one address.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust {
  if (setting === false) return () => false;
  if ('hops' in setting) {
    const { hops } = setting;
    return (_address, hop) => hop < hops;
  }
  return proxyAddr.compile(setting.proxies);
}

/** The client's address: the socket's peer, or further left in X-Forwarded-For through trusted proxies. */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  return proxyAddr(request, trust);
}
