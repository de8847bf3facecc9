import { Clock } from '../common/clock.js';
import { EventType } from './event.entity.js';
import { EventsService, type EventHandler } from './events.service.js';

const handler: EventHandler = { handle: async () => undefined };

describe('event handlers', () => {
  it('takes one handler per event type', () => {
    const events = new EventsService(new Clock());
    events.on(EventType.AUTHOR_REPLIED, handler);
    expect(() => events.on(EventType.ESSAY_PUBLISHED, handler)).not.toThrow();
  });

  it('refuses a second handler for the same type, so start-up fails', () => {
    const events = new EventsService(new Clock());
    events.on(EventType.AUTHOR_REPLIED, handler);
    expect(() => events.on(EventType.AUTHOR_REPLIED, handler)).toThrow(
      'Two event handlers registered for AUTHOR_REPLIED.',
    );
  });
});
