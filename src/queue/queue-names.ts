/**
 * The names of the BullMQ queues. They live here, not in a processor or a
 * feature, so health, admin and tests can name a queue without importing the
 * feature that works it.
 */
export const MAIL_QUEUE = 'mail';
export const DIGESTS_QUEUE = 'digests';
export const WEBHOOKS_QUEUE = 'webhooks';
export const SPAM_CHECKS_QUEUE = 'spam-checks';
