import { createHmac } from 'node:crypto';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = 'a-secret-of-enough-length';

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature(secret, '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('verifies only the same timestamp, body and secret', () => {
    const signature = webhookSignature(secret, '1700000000', '{"a":1}');
    expect(verifyWebhookSignature(secret, '1700000000', '{"a":1}', signature)).toBe(true);
    expect(verifyWebhookSignature(secret, '1700000001', '{"a":1}', signature)).toBe(false);
    expect(verifyWebhookSignature(secret, '1700000000', '{"a":2}', signature)).toBe(false);
    expect(verifyWebhookSignature('another-secret-here', '1700000000', '{"a":1}', signature)).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, '1700000000', '{"a":1}', 'sha256=00')).toBe(false);
  });
});
