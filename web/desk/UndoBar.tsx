import { announce } from '../conversation/state.js';
import { describeError } from '../shared/graphql.js';
import { undo, undoLast } from './state.js';

/** "Shortlisted: 1 response. Undo" for a few seconds after any status change. */
export function UndoBar({ onUndone }: { onUndone: () => void }) {
  const last = undo.value;
  if (!last) return null;
  return (
    <div class="undo-bar">
      <p>{last.text}</p>
      <button
        type="button"
        class="button button--secondary"
        onClick={() =>
          void (async () => {
            try {
              await undoLast();
              announce('Undone.');
              onUndone();
            } catch (error) {
              announce(`Could not undo: ${describeError(error)}`);
            }
          })()
        }
      >
        Undo
      </button>
    </div>
  );
}
