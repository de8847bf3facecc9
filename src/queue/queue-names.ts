/**
 * The names of the BullMQ queues. They live here, not in a processor or a
 * feature, so health, admin and tests can name a queue without importing the
 * feature that works it.
 */
export const MAIL_QUEUE = 'mail';
export const DIGESTS_QUEUE = 'digests';
export const WEBHOOKS_QUEUE = 'webhooks';
export const SPAM_CHECKS_QUEUE = 'spam-checks';

/** Every queue, for the places that list them all (Bull Board, /health, /metrics). */
export const ALL_QUEUES = [MAIL_QUEUE, DIGESTS_QUEUE, WEBHOOKS_QUEUE, SPAM_CHECKS_QUEUE] as const;
