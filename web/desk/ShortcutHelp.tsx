import { useEffect, useRef } from 'preact/hooks';
import { SHORTCUTS } from './shortcuts.js';
import { helpOpen } from './state.js';

/**
 * The keys of this page (`?`), as a native modal dialog: focus stays inside
 * until it closes, then goes back where it was.
 */
export function ShortcutHelp({ page }: { page: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const before = useRef<HTMLElement | null>(null);
  const open = helpOpen.value;
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      before.current = document.activeElement as HTMLElement | null;
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      class="shortcut-help"
      aria-labelledby="shortcut-help-title"
      onClose={() => {
        helpOpen.value = false;
        before.current?.focus();
      }}
    >
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <dl>
        {(SHORTCUTS[page] ?? []).map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p>Keys do nothing while you type in a field. Every action also has a button.</p>
      <form method="dialog">
        <button type="submit" class="button">
          Close
        </button>
      </form>
    </dialog>
  );
}
