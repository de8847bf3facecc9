/**
 * Node.js options the API runs with (`npm start`, `npm run start:api`;
 * bench:api starts the app with them too, as production does).
 *
 * A GraphQL request allocates many short-lived objects (rows, entities,
 * result trees): V8's young generation of 16 MB per semi-space fills in
 * milliseconds under load and each scavenge stops the event loop. At 64 MB
 * the signed-in page of bench:api spent 11 % less CPU per request (2.64 →
 * 2.35 ms) for about 80 MB more peak memory. Workers keep V8's default
 * (their memory is what the digest benchmark bounds).
 */
export const API_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=64'];
