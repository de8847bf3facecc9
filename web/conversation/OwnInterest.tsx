import { formatDate } from '../shared/format.js';
import type { InterestNode } from './documents.js';

/** The reader's own offer to collaborate, shown back to them (no one else sees it). */
export function OwnInterest({ interest }: { interest: InterestNode }) {
  return (
    <div class="own-interest" id="rizom-own-interest" tabIndex={-1}>
      <p class="own-interest__title">
        You offered to collaborate on {formatDate(interest.createdAt)}. Only you and the author can
        see this.
      </p>
      <dl class="own-interest__details">
        <dt>Message</dt>
        <dd>{interest.message}</dd>
        <dt>What you are building</dt>
        <dd>{interest.building}</dd>
        {interest.areas.length > 0 && (
          <>
            <dt>Areas</dt>
            <dd>{interest.areas.join(', ')}</dd>
          </>
        )}
        {interest.link && (
          <>
            <dt>Link</dt>
            <dd>{interest.link}</dd>
          </>
        )}
        {interest.availability && (
          <>
            <dt>Availability</dt>
            <dd>{interest.availability}</dd>
          </>
        )}
        <dt>Contact email</dt>
        <dd>{interest.contactEmail}</dd>
      </dl>
    </div>
  );
}
