import { useEffect, useState } from 'preact/hooks';
import { LiveBanner } from '../conversation/LiveBanner.js';
import { subscribe } from '../shared/live.js';
import type {
  DeskCountsChangedSubscription,
  DeskResponseAddedSubscription,
} from '../shared/graphql-types.js';
import { deskCountsChangedSubscription, deskResponseAddedSubscription } from './documents.js';
import { announce, focusSoon } from '../conversation/state.js';
import { plural } from '../shared/format.js';
import { describeError } from '../shared/graphql.js';
import type { ReviewStatus } from '../shared/graphql-types.js';
import { QueueFilterBar, SEARCH_ID } from './QueueFilters.js';
import { QueueRow } from './QueueRow.js';
import { ResponseDetail, STATUS_ACTIONS } from './ResponseDetail.js';
import { isTyping } from './shortcuts.js';
import {
  counts,
  currentId,
  helpOpen,
  loadError,
  loadMore,
  loadQueue,
  nextCursor,
  loading,
  openId,
  rows,
  selected,
  setStatus,
  addLabel,
} from './state.js';
import { UndoBar } from './UndoBar.js';

const rowButton = (id: string | null) => () =>
  id ? document.getElementById(`row-${id}`) : document.getElementById(SEARCH_ID);

/** The review queue as an inbox, with the opened response beside it (below, on a phone). */
export function Queue() {
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    loadQueue().catch((error) => (loadError.value = describeError(error)));
    // New responses wait in "N new — show": the list never moves under the author.
    const stopAdded = subscribe<DeskResponseAddedSubscription, Record<string, never>>(
      deskResponseAddedSubscription,
      {},
      ({ deskResponseAdded: added }) => {
        if (added.author.role === 'AUTHOR') return;
        if (rows.value.some((row) => row.id === added.id)) return;
        setArrived((before) => new Set([...before, added.id]));
        announce('A new response arrived.');
      },
    );
    // The saved views' counts follow every change, from here or elsewhere.
    const stopCounts = subscribe<DeskCountsChangedSubscription, Record<string, never>>(
      deskCountsChangedSubscription,
      {},
      (data) => (counts.value = data.deskCountsChanged),
    );
    return () => {
      stopAdded();
      stopCounts();
    };
  }, []);
  const showArrived = async () => {
    // The new rows come on top; the rows loaded below stay loaded.
    await loadQueue(rows.value.length + arrived.size);
    setArrived(new Set());
    focusSoon(rowButton(rows.value[0]?.id ?? null));
  };

  const open = (id: string) => {
    currentId.value = id;
    openId.value = id;
    focusSoon('#desk-detail-title');
  };
  const close = () => {
    const id = openId.value;
    openId.value = null;
    focusSoon(rowButton(id));
  };

  /** Sets a status, keeping the keyboard's place: on the next row when this one leaves the view. */
  const changeStatus = async (ids: string[], status: ReviewStatus) => {
    const list = rows.value;
    const index = Math.max(
      0,
      list.findIndex((row) => row.id === currentId.value),
    );
    try {
      announce(await setStatus(ids, status));
    } catch (error) {
      announce(`Not changed: ${describeError(error)}`);
      return;
    }
    const after = rows.value;
    if (!after.some((row) => row.id === currentId.value)) {
      currentId.value = after[Math.min(index, after.length - 1)]?.id ?? null;
      if (openId.value && !after.some((row) => row.id === openId.value)) openId.value = null;
    }
    if (!openId.value || ids.length > 1) focusSoon(rowButton(currentId.value));
  };

  const move = (step: number) => {
    const list = rows.value;
    if (list.length === 0) return;
    const index = list.findIndex((row) => row.id === currentId.value);
    const next = list[Math.min(list.length - 1, Math.max(0, index + step))]!;
    currentId.value = next.id;
    if (openId.value) openId.value = next.id;
    focusSoon(rowButton(next.id));
  };

  const openAndFocus = (field: string) => {
    const id = openId.value ?? currentId.value;
    if (!id) return;
    currentId.value = id;
    openId.value = id;
    focusSoon(`#${field}`);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'Escape' && openId.value && !helpOpen.value) {
        event.preventDefault();
        close();
        return;
      }
      if (isTyping(event.target)) return;
      const status = STATUS_ACTIONS.find((action) => action.key === event.key);
      if (status) {
        if (currentId.value) void changeStatus([currentId.value], status.status);
      } else if (event.key === 'j') move(1);
      else if (event.key === 'k') move(-1);
      else if (event.key === 'o' || (event.key === 'Enter' && event.target === document.body)) {
        if (currentId.value) open(currentId.value);
      } else if (event.key === 'l') openAndFocus('desk-labels');
      else if (event.key === 'n') openAndFocus('desk-note');
      else if (event.key === 'R') openAndFocus('desk-reply');
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const list = rows.value;
  const chosen = [...selected.value];
  const allSelected = list.length > 0 && chosen.length === list.length;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected.value);
    if (on) next.add(id);
    else next.delete(id);
    selected.value = next;
  };

  return (
    <div class={`desk-app${openId.value ? ' desk-app--open' : ''}`}>
      <QueueFilterBar />
      <div class="desk-main">
        <section class="desk-queue" aria-labelledby="desk-queue-title">
          <div class="desk-queue__bar">
            <h2 id="desk-queue-title">
              {loading.value
                ? 'Responses'
                : `${plural(list.length, 'response')}${nextCursor.value ? ' shown, more to load' : ''}`}
            </h2>
            <label class="desk-queue__all">
              <input
                type="checkbox"
                id="desk-select-all"
                checked={allSelected}
                disabled={list.length === 0}
                onChange={(event) =>
                  (selected.value = new Set(
                    event.currentTarget.checked ? list.map((row) => row.id) : [],
                  ))
                }
              />{' '}
              Select all
            </label>
          </div>
          <LiveBanner
            count={[...arrived].filter((id) => !list.some((row) => row.id === id)).length}
            onShow={() => void showArrived()}
          />
          {chosen.length > 0 && (
            <div class="bulk-bar" role="group" aria-label="With the selected responses">
              <p>{plural(chosen.length, 'selected', 'selected')}</p>
              {STATUS_ACTIONS.map((action) => (
                <button
                  type="button"
                  class="button button--secondary"
                  key={action.status}
                  onClick={() =>
                    void (async () => {
                      await changeStatus(chosen, action.status);
                      selected.value = new Set();
                      focusSoon('#desk-select-all');
                    })()
                  }
                >
                  {action.label}
                </button>
              ))}
              <form
                class="bulk-bar__label"
                onSubmit={(event) =>
                  void (async () => {
                    event.preventDefault();
                    const input = event.currentTarget.elements.namedItem(
                      'label',
                    ) as HTMLInputElement;
                    const label = input.value.trim();
                    if (!label) return;
                    try {
                      await addLabel(chosen, label);
                      announce(`Labelled ${plural(chosen.length, 'response')} “${label}”.`);
                      input.value = '';
                      selected.value = new Set();
                      focusSoon('#desk-select-all');
                    } catch (error) {
                      announce(`Not labelled: ${describeError(error)}`);
                    }
                  })()
                }
              >
                <label for="desk-bulk-label">Label</label>
                <input id="desk-bulk-label" name="label" type="text" maxLength={40} />
                <button type="submit" class="button button--secondary">
                  Add label
                </button>
              </form>
            </div>
          )}
          {loadError.value && (
            <p class="notice notice--danger" role="alert">
              {loadError.value}
            </p>
          )}
          {!loading.value && list.length === 0 && !loadError.value && (
            <p class="notice">Nothing here. Try another view or clear the filters.</p>
          )}
          <ul class="queue" aria-label="Responses to review">
            {list.map((row) => (
              <QueueRow
                key={row.id}
                row={row}
                current={row.id === currentId.value}
                open={row.id === openId.value}
                selected={selected.value.has(row.id)}
                onOpen={() => (openId.value === row.id ? close() : open(row.id))}
                onFocus={() => (currentId.value = row.id)}
                onSelect={(on) => toggle(row.id, on)}
              />
            ))}
          </ul>
          {nextCursor.value && (
            <button
              type="button"
              class="button button--secondary desk-queue__more"
              onClick={() =>
                void loadMore().then(
                  (first) => focusSoon(rowButton(first)),
                  (error: unknown) => announce(`Not loaded: ${describeError(error)}`),
                )
              }
            >
              Load more
            </button>
          )}
        </section>
        {openId.value && (
          <ResponseDetail
            id={openId.value}
            onClose={close}
            onStatus={(status) => void changeStatus([openId.value!], status)}
            onOpen={open}
          />
        )}
      </div>
      <UndoBar onUndone={() => focusSoon(rowButton(currentId.value))} />
    </div>
  );
}
