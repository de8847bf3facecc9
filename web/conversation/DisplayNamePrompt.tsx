import { useId } from 'preact/hooks';

/** Asked once, at the reader's first post: the name others see beside their words. */
export function DisplayNamePrompt({
  value,
  onInput,
}: {
  value: string;
  onInput: (name: string) => void;
}) {
  const id = useId();
  return (
    <div class="field display-name">
      <label for={id}>Your name, as others will see it</label>
      <input
        id={id}
        autocomplete="nickname"
        required
        maxLength={60}
        value={value}
        aria-describedby={`${id}-hint`}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <p class="field__hint" id={`${id}-hint`}>
        It shows beside everything you post.
      </p>
    </div>
  );
}
