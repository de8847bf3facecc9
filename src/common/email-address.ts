import { domainToASCII } from 'node:url';
import { BadUserInput } from './errors.js';

/**
 * The characters of a local part we take: RFC 5322's dot-atom text, without
 * `%` and `!` (old source-routing syntax some mail servers still act on). No
 * quotes, comments, angle brackets, commas, semicolons or spaces, so a string
 * that passes is one mailbox and nothing else, whatever parses it next.
 */
const LOCAL_PART = /^[a-z0-9#$&'*+/=?^_`{|}~-]+(?:\.[a-z0-9#$&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The one spelling of an email address, for every place one enters (sign-in,
 * collaborator interest, digests) and for the rate-limit keys made from it:
 * surrounding spaces dropped, lower case, an internationalised domain in its
 * ASCII (punycode) form. Anything but a single plain address is BAD_USER_INPUT
 * on `field`: display names (`x <a@b.example>`), comments (`(c)a@b.example`),
 * lists (`a@b.example,c@d.example`), quotes, whitespace or control characters.
 */
export function normalizeEmail(raw: unknown, field = 'email'): string {
  const invalid = () =>
    new BadUserInput(
      'That is not a valid email address: give one address, like name@example.org.',
      field,
    );
  if (typeof raw !== 'string' || raw.length > 320) throw invalid();
  const address = raw.replace(/^ +| +$/g, '').toLowerCase();
  const at = address.indexOf('@');
  if (at < 1 || at !== address.lastIndexOf('@')) throw invalid();
  const local = address.slice(0, at);
  const rawDomain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) throw invalid();
  // Only letters, digits, dots and hyphens may reach the IDN conversion, which would map others away.
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(rawDomain)) throw invalid();
  const domain = domainToASCII(rawDomain);
  const labels = domain.split('.');
  if (
    !domain ||
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((label) => DOMAIN_LABEL.test(label)) ||
    /^\d+$/.test(labels.at(-1)!)
  ) {
    throw invalid();
  }
  const normalized = `${local}@${domain}`;
  if (normalized.length > 254) throw invalid();
  return normalized;
}
