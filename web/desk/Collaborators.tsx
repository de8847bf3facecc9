import { useEffect, useState } from 'preact/hooks';
import { announce } from '../conversation/state.js';
import { formatDate } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  DeskInterestsQuery,
  DeskWriterQuery,
  DeskWriterQueryVariables,
  DeskMoveInterestMutation,
  DeskMoveInterestMutationVariables,
  InterestStatus,
} from '../shared/graphql-types.js';
import { deskInterestsQuery, deskMoveInterestMutation, deskWriterQuery } from './documents.js';
import { ListFilter } from './ListFilter.js';
import { NoteEditor } from './NoteEditor.js';
import { excerpt } from './QueueRow.js';

type Interest = DeskInterestsQuery['collaboratorInterests']['edges'][number]['node'];

const COLUMNS: { status: InterestStatus; name: string }[] = [
  { status: 'NEW', name: 'New' },
  { status: 'CONTACTED', name: 'Contacted' },
  { status: 'IN_CONVERSATION', name: 'In conversation' },
  { status: 'DECLINED', name: 'Declined' },
  { status: 'ARCHIVED', name: 'Archived' },
];

/** The collaborator pipeline: a column per status, each offer movable and annotated. */
export function Collaborators() {
  const [interests, setInterests] = useState<Interest[] | null>(null);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');
  const load = async () => {
    try {
      const data = await request<DeskInterestsQuery>(deskInterestsQuery);
      setInterests(data.collaboratorInterests.edges.map((edge) => edge.node));
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  useEffect(() => void load(), []);
  if (error)
    return (
      <p class="notice notice--danger" role="alert">
        {error}
      </p>
    );
  if (!interests) return <p>Loading…</p>;
  const words = filter.trim().toLowerCase();
  const shown = interests.filter(
    (interest) =>
      !words ||
      [interest.reader.displayName, interest.essay.title, interest.message, interest.contactEmail]
        .join(' ')
        .toLowerCase()
        .includes(words),
  );
  return (
    <section aria-labelledby="desk-collaborators-title">
      <h2 id="desk-collaborators-title">Collaborators</h2>
      <ListFilter
        id="desk-filter-offers"
        label="Filter offers"
        value={filter}
        onInput={setFilter}
      />
      <div class="board">
        {COLUMNS.map((column) => {
          const cards = shown.filter((interest) => interest.status === column.status);
          return (
            <section
              class="board__column"
              key={column.status}
              aria-labelledby={`board-${column.status}`}
            >
              <h3 id={`board-${column.status}`}>
                {column.name} ({cards.length})
              </h3>
              <ul class="board__cards">
                {cards.map((interest) => (
                  <InterestCard key={interest.id} interest={interest} onChanged={load} />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}

function InterestCard({
  interest,
  onChanged,
}: {
  interest: Interest;
  onChanged: () => Promise<void>;
}) {
  const [status, setStatus] = useState<InterestStatus>(interest.status);
  const [error, setError] = useState('');
  const id = `interest-${interest.id}`;
  const save = async (changes: { status?: InterestStatus; note?: string }, done: string) => {
    try {
      await request<DeskMoveInterestMutation, DeskMoveInterestMutationVariables>(
        deskMoveInterestMutation,
        { id: interest.id, status: changes.status ?? interest.status, note: changes.note },
      );
      setError('');
      announce(done);
      await onChanged();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <li class="board__card">
      <article aria-labelledby={`${id}-who`} data-desk-item tabIndex={-1}>
        <h4 id={`${id}-who`}>{interest.reader.displayName}</h4>
        <p class="queue-row__meta">
          {interest.essay.title} · {formatDate(interest.createdAt)}
        </p>
        <p>{interest.message}</p>
        <dl>
          <dt>Building</dt>
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
              <dd>
                <a href={interest.link} rel="noopener noreferrer nofollow" target="_blank">
                  {interest.link}
                </a>
              </dd>
            </>
          )}
          {interest.availability && (
            <>
              <dt>Availability</dt>
              <dd>{interest.availability}</dd>
            </>
          )}
          <dt>Contact</dt>
          <dd>
            <a href={`mailto:${interest.contactEmail}`}>{interest.contactEmail}</a>
            <br />
            {interest.consentToContact ? 'Agreed to be contacted' : 'Did not agree to be contacted'}
          </dd>
        </dl>
        <ReaderResponses interest={interest} />
        <button
          type="button"
          class="button button--quiet"
          onClick={() =>
            void (async () => {
              try {
                await navigator.clipboard.writeText(interest.contactEmail);
                announce(`Copied ${interest.contactEmail}.`);
              } catch {
                announce('Could not copy: select the address and copy it.');
              }
            })()
          }
        >
          Copy email
        </button>
        <form
          class="board__move"
          onSubmit={(event) => {
            event.preventDefault();
            const name = COLUMNS.find((column) => column.status === status)?.name ?? status;
            void save({ status }, `Moved ${interest.reader.displayName} to ${name}.`);
          }}
        >
          <div class="field">
            <label for={`${id}-status`}>Status</label>
            <select
              id={`${id}-status`}
              value={status}
              onChange={(event) => setStatus(event.currentTarget.value as InterestStatus)}
            >
              {COLUMNS.map((column) => (
                <option value={column.status} key={column.status}>
                  {column.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button--secondary">
            Move
          </button>
        </form>
        <NoteEditor
          id={`${id}-note`}
          note={interest.note}
          onSave={(note) => void save({ note }, 'Note saved.')}
        />
        <p class="form__error" role="alert">
          {error}
        </p>
      </article>
    </li>
  );
}

/** The reader's responses on the offer's essay, loaded when the author opens them. */
function ReaderResponses({ interest }: { interest: Interest }) {
  const [responses, setResponses] = useState<
    DeskWriterQuery['reviewQueue']['edges'][number]['node'][] | null
  >(null);
  const [error, setError] = useState('');
  const load = () => {
    if (responses) return;
    request<DeskWriterQuery, DeskWriterQueryVariables>(deskWriterQuery, {
      writerId: interest.reader.id,
      essayId: interest.essay.id,
    }).then(
      (data) => setResponses(data.reviewQueue.edges.map((edge) => edge.node)),
      (failure: unknown) => setError(describeError(failure)),
    );
  };
  return (
    <details
      class="board__responses"
      onToggle={(event) => (event.currentTarget as HTMLDetailsElement).open && load()}
    >
      <summary>Their responses on this essay</summary>
      {error && <p role="alert">{error}</p>}
      {!responses && !error && <p>Loading…</p>}
      {responses && responses.length === 0 && <p>None.</p>}
      {responses && responses.length > 0 && (
        <ul>
          {responses.map((response) => (
            <li key={response.id}>
              {excerpt(response.body)}{' '}
              <span class="queue-row__meta">
                {formatDate(response.createdAt)}
                {response.visibility === 'PRIVATE' ? ' · private' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <a href={`/desk?writer=${interest.reader.id}&essay=${interest.essay.id}`}>
        Open them in the queue
      </a>
    </details>
  );
}
