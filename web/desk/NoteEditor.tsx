import { useState } from 'preact/hooks';

/**
 * The author's private note on a response or an offer, saved with its own
 * button. Key it by what it annotates, so another one starts afresh.
 */
export function NoteEditor(props: {
  id: string;
  note: string | null;
  onSave: (note: string) => void;
}) {
  const [note, setNote] = useState(props.note ?? '');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        props.onSave(note);
      }}
    >
      <div class="field">
        <label for={props.id}>Private note</label>
        <textarea
          id={props.id}
          rows={3}
          maxLength={5000}
          value={note}
          aria-describedby={`${props.id}-hint`}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
        <p class="field__hint" id={`${props.id}-hint`}>
          Only you see it.
        </p>
      </div>
      <button type="submit" class="button button--secondary">
        Save note
      </button>
    </form>
  );
}
