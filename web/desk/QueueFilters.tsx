import { useEffect, useState } from 'preact/hooks';
import { plural } from '../shared/format.js';
import {
  EMPTY_FILTERS,
  MODERATION_STATES,
  SAVED_VIEWS,
  STATUSES,
  sameFilters,
  type QueueFilters,
} from './filters.js';
import { counts, essays, filters, setFilters } from './state.js';

export const SEARCH_ID = 'desk-search';

/** Saved views and the filters of the queue; each change is a new address. */
export function QueueFilterBar() {
  const current = filters.value;
  const [q, setQ] = useState(current.q);
  const [label, setLabel] = useState(current.label);
  useEffect(() => {
    setQ(current.q);
    setLabel(current.label);
  }, [current.q, current.label]);
  // On a phone the filters fold away (open when one is set), so the queue comes first.
  const [open, setOpen] = useState(
    () =>
      matchMedia('(min-width: 60rem)').matches ||
      Boolean(current.q || current.label || current.essay || current.prompt) ||
      Boolean(current.status || current.interest || current.writer) ||
      Boolean(current.moderation || current.reported),
  );
  const change = (next: Partial<QueueFilters>) => setFilters({ ...current, ...next });
  const essay = essays.value.find((candidate) => candidate.id === current.essay);
  const prompts = essay ? essay.prompts : essays.value.flatMap((candidate) => candidate.prompts);

  return (
    <div class="desk-filters">
      <nav class="desk-views" aria-label="Saved views">
        <ul>
          {SAVED_VIEWS.map((view) => {
            const count = counts.value?.[view.count];
            const id = `desk-view-${view.count}`;
            return (
              <li key={view.name}>
                <button
                  type="button"
                  class="button button--quiet"
                  aria-current={sameFilters(current, view.filters) ? 'page' : undefined}
                  aria-describedby={count === undefined ? undefined : id}
                  onClick={() => setFilters({ ...EMPTY_FILTERS, ...view.filters })}
                >
                  {view.name}
                  {count !== undefined && (
                    <span class="desk-views__count" aria-hidden="true">
                      {count}
                    </span>
                  )}
                </button>
                {count !== undefined && (
                  <span id={id} hidden>
                    {plural(count, 'response')}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </nav>
      <details
        class="desk-search-box"
        open={open}
        onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>Search and filters</summary>
        <form
          role="search"
          class="desk-search"
          aria-label="Filter responses"
          onSubmit={(event) => {
            event.preventDefault();
            change({ q: q.trim(), label: label.trim() });
          }}
        >
          <div class="field">
            <label for={SEARCH_ID}>Search responses</label>
            <input
              id={SEARCH_ID}
              data-desk-search
              type="search"
              value={q}
              maxLength={200}
              onInput={(event) => setQ(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="desk-filter-essay">Essay</label>
            <select
              id="desk-filter-essay"
              value={current.essay}
              onChange={(event) => change({ essay: event.currentTarget.value, prompt: '' })}
            >
              <option value="">All essays</option>
              {essays.value.map((candidate) => (
                <option value={candidate.id} key={candidate.id}>
                  {candidate.title}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="desk-filter-prompt">Prompt</label>
            <select
              id="desk-filter-prompt"
              value={current.prompt}
              onChange={(event) => change({ prompt: event.currentTarget.value })}
            >
              <option value="">All prompts</option>
              {prompts.map((prompt) => (
                <option value={prompt.id} key={prompt.id}>
                  {prompt.text}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="desk-filter-status">Status</label>
            <select
              id="desk-filter-status"
              value={current.status}
              onChange={(event) => change({ status: event.currentTarget.value })}
            >
              <option value="">All but archived, spam</option>
              {STATUSES.map((status) => (
                <option value={status.value} key={status.value}>
                  {status.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="desk-filter-label">Label</label>
            <input
              id="desk-filter-label"
              type="text"
              value={label}
              maxLength={40}
              onInput={(event) => setLabel(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="desk-filter-interest">Collaboration offer</label>
            <select
              id="desk-filter-interest"
              value={current.interest}
              onChange={(event) => change({ interest: event.currentTarget.value })}
            >
              <option value="">With or without</option>
              <option value="yes">Offered to collaborate</option>
              <option value="no">No offer</option>
            </select>
          </div>
          <div class="field">
            <label for="desk-filter-moderation">Moderation</label>
            <select
              id="desk-filter-moderation"
              value={current.moderation}
              onChange={(event) => change({ moderation: event.currentTarget.value })}
            >
              <option value="">Any</option>
              {MODERATION_STATES.map((state) => (
                <option value={state.value} key={state.value}>
                  {state.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="desk-filter-reported">Reports</label>
            <select
              id="desk-filter-reported"
              value={current.reported}
              onChange={(event) => change({ reported: event.currentTarget.value })}
            >
              <option value="">With or without</option>
              <option value="yes">Reported</option>
              <option value="no">Not reported</option>
            </select>
          </div>
          <div class="desk-search__actions">
            <button type="submit" class="button">
              Search
            </button>
            <button
              type="button"
              class="button button--quiet"
              onClick={() => setFilters({ ...EMPTY_FILTERS })}
            >
              Clear filters
            </button>
          </div>
        </form>
      </details>
    </div>
  );
}
