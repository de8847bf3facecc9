import { HeldReason, ModerationState } from './moderation-state.js';
import { ModerationMode } from './moderation-settings.entity.js';
import {
  containsBlockedTerm,
  countLinks,
  decide,
  isLinksOnly,
  type EffectiveSettings,
} from './moderation-policy.js';

const OFF: EffectiveSettings = { mode: ModerationMode.OFF, blockedTerms: [], maxLinks: null };
const draft = (body: string, extra: Partial<Parameters<typeof decide>[1]> = {}) => ({
  body,
  writerTrusted: false,
  duplicateElsewhere: false,
  minSubmitMs: 3000,
  ...extra,
});

describe('moderation policy', () => {
  it('publishes at once when moderation is off and nothing looks wrong', () => {
    expect(decide(OFF, draft('A garden in the city.'))).toEqual({
      state: ModerationState.PUBLISHED,
      reason: null,
    });
  });

  it('holds every response in ALL, and first-time writers in FIRST_TIME', () => {
    expect(
      decide({ ...OFF, mode: ModerationMode.ALL }, draft('Hi', { writerTrusted: true })),
    ).toEqual({ state: ModerationState.HELD, reason: HeldReason.ALL });
    const firstTime = { ...OFF, mode: ModerationMode.FIRST_TIME };
    expect(decide(firstTime, draft('Hi')).reason).toBe(HeldReason.FIRST_TIME);
    expect(decide(firstTime, draft('Hi', { writerTrusted: true })).state).toBe(
      ModerationState.PUBLISHED,
    );
  });

  it('matches blocked terms as whole words or phrases, ignoring case and accents', () => {
    expect(containsBlockedTerm('Buy CHEAP pills', ['cheap'])).toBe(true);
    expect(containsBlockedTerm('Un café noir', ['CAFE'])).toBe(true);
    expect(containsBlockedTerm('Un cafe noir', ['café'])).toBe(true);
    expect(containsBlockedTerm('cheaper than ever', ['cheap'])).toBe(false);
    expect(containsBlockedTerm('Get rich   quick!', ['rich quick'])).toBe(true);
    expect(containsBlockedTerm('rich, not quick', ['rich quick'])).toBe(false);
    expect(containsBlockedTerm('a (b) c', ['(b)'])).toBe(true);
    expect(containsBlockedTerm('a b c', ['.'])).toBe(false);
    expect(containsBlockedTerm('anything', ['  '])).toBe(false);
    expect(decide({ ...OFF, blockedTerms: ['cheap'] }, draft('so CHEAP')).reason).toBe(
      HeldReason.BLOCKED_TERM,
    );
  });

  it('counts links and holds more than maxLinks', () => {
    const body = 'See https://a.example and [b](https://b.example) and www.c.example';
    expect(countLinks(body)).toBe(3);
    expect(decide({ ...OFF, maxLinks: 2 }, draft(body)).reason).toBe(HeldReason.TOO_MANY_LINKS);
    expect(decide({ ...OFF, maxLinks: 3 }, draft(body)).state).toBe(ModerationState.PUBLISHED);
    expect(decide({ ...OFF, maxLinks: 0 }, draft('no links here')).state).toBe(
      ModerationState.PUBLISHED,
    );
  });

  it('holds links-only bodies, duplicates and failed form signals as suspected spam', () => {
    expect(isLinksOnly('https://spam.example')).toBe(true);
    expect(isLinksOnly('[click](https://spam.example) !!')).toBe(true);
    expect(isLinksOnly('Look: https://ok.example')).toBe(false);
    expect(isLinksOnly('No links')).toBe(false);
    expect(decide(OFF, draft('https://spam.example')).reason).toBe(HeldReason.SUSPECTED_SPAM);
    expect(decide(OFF, draft('Same again', { duplicateElsewhere: true })).reason).toBe(
      HeldReason.SUSPECTED_SPAM,
    );
    expect(decide(OFF, draft('Hi', { form: { honeypot: 'x', elapsedMs: 60_000 } })).reason).toBe(
      HeldReason.SUSPECTED_SPAM,
    );
    expect(decide(OFF, draft('Hi', { form: { honeypot: '', elapsedMs: 200 } })).reason).toBe(
      HeldReason.SUSPECTED_SPAM,
    );
    expect(decide(OFF, draft('Hi', { form: { honeypot: '', elapsedMs: 9000 } })).state).toBe(
      ModerationState.PUBLISHED,
    );
  });
});
