import { useId, useRef, useState } from 'preact/hooks';
import { describeError, request } from '../shared/graphql.js';
import { drafts } from '../shared/storage.js';
import { DisplayNamePrompt } from './DisplayNamePrompt.js';
import { previewQuery, updateProfileMutation } from './documents.js';
import {
  announce,
  askDisplayName,
  focusSoon,
  responseLimit,
  SIGN_IN_EMAIL_ID,
  viewer,
} from './state.js';
import type {
  FormSignalsInput,
  PreviewQuery,
  PreviewQueryVariables,
  UpdateProfileMutation,
  UpdateProfileMutationVariables,
} from '../shared/graphql-types.js';

interface Props {
  /** Where the draft is kept (through sign-in and reloads); none for edits. */
  draftKey?: string;
  label: string;
  submitLabel: string;
  initial?: string;
  /** The public / only-the-author choice (new responses; replies inherit theirs). */
  allowPrivate?: boolean;
  /** A note under the text area, e.g. that a reply in a private thread stays private. */
  note?: string;
  /** `form`: the spam signals the server weighs (the hidden field, the time the form was open). */
  onSubmit: (body: string, isPrivate: boolean, form: FormSignalsInput) => Promise<void>;
  onCancel?: () => void;
  autoFocus?: boolean;
}

/** Markdown with a preview, the privacy choice in sight, and the length against the limit. */
export function ResponseEditor(props: Props) {
  const [text, setText] = useState(
    () => props.initial ?? (props.draftKey ? drafts.get(props.draftKey) : ''),
  );
  const [isPrivate, setPrivate] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const openedAt = useRef(Date.now());
  const [trap, setTrap] = useState('');
  const id = useId();
  const length = text.trim().length;
  const limit = responseLimit.value;
  const over = length - limit;
  // Asked before a first post; an edit means the reader has posted already.
  const askName = askDisplayName.value && viewer.value !== null && props.initial === undefined;

  const write = (value: string) => {
    setText(value);
    if (props.draftKey) drafts.set(props.draftKey, value);
  };

  const togglePreview = async () => {
    if (preview !== null) {
      setPreview(null);
      setTimeout(() => area.current?.focus(), 0);
      return;
    }
    setError('');
    try {
      const data = await request<PreviewQuery, PreviewQueryVariables>(previewQuery, {
        markdown: text,
      });
      setPreview(data.previewMarkdown);
      announce('Showing the preview.');
    } catch (failure) {
      setError(`The preview is not available: ${describeError(failure)}`);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    if (!viewer.value) {
      setError('Sign in to post: your text is kept here while you do.');
      announce('Sign in to post: your text is kept here while you do.');
      focusSoon(`#${SIGN_IN_EMAIL_ID}`);
      return;
    }
    if (length === 0) return setError('Write something first.');
    if (over > 0) return setError(`That is ${over} characters over the limit of ${limit}.`);
    setBusy(true);
    try {
      if (askName) {
        const chosen = (name || viewer.value.displayName).trim();
        const data = await request<UpdateProfileMutation, UpdateProfileMutationVariables>(
          updateProfileMutation,
          {
            displayName: chosen,
          },
        );
        viewer.value = data.updateProfile;
        askDisplayName.value = false;
      }
      await props.onSubmit(text, isPrivate, {
        honeypot: trap,
        elapsedMs: Math.min(Date.now() - openedAt.current, 2_147_483_647),
      });
      openedAt.current = Date.now();
      if (props.draftKey) drafts.set(props.draftKey, '');
      setText('');
      setPreview(null);
      setPrivate(false);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class={`editor${isPrivate ? ' editor--private' : ''}`}
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <div class="field">
        <label for={id}>{props.label}</label>
        <textarea
          id={id}
          ref={area}
          rows={props.initial === undefined ? 5 : 4}
          value={text}
          hidden={preview !== null}
          autoFocus={props.autoFocus}
          aria-describedby={`${id}-count${props.note ? ` ${id}-note` : ''}`}
          onInput={(event) => write(event.currentTarget.value)}
        />
        {preview !== null && (
          <div
            class="editor__preview prose"
            tabIndex={0}
            role="region"
            aria-label="Preview"
            // Sanitized by the server, with the renderer posted responses go through.
            dangerouslySetInnerHTML={{ __html: preview || '<p>Nothing to preview yet.</p>' }}
          />
        )}
        <p class={`editor__count${over > 0 ? ' editor__count--over' : ''}`} id={`${id}-count`}>
          {over > 0
            ? `${over.toLocaleString('en')} characters over the limit`
            : `${length.toLocaleString('en')} / ${limit.toLocaleString('en')} characters · Markdown`}
        </p>
        {props.note && (
          <p class="field__hint" id={`${id}-note`}>
            {props.note}
          </p>
        )}
      </div>
      {props.allowPrivate && (
        <div class="editor__privacy">
          <input
            type="checkbox"
            id={`${id}-private`}
            checked={isPrivate}
            onChange={(event) => setPrivate(event.currentTarget.checked)}
          />
          <label for={`${id}-private`}>Only the author can see this</label>
          <span class="editor__visibility" aria-hidden="true">
            {isPrivate ? 'Private' : 'Public: everyone can read it'}
          </span>
        </div>
      )}
      {/* For bots only: people never see it (display: none), so never fill it in. */}
      <div class="editor__trap" aria-hidden="true">
        <label for={`${id}-website`}>Leave this empty</label>
        <input
          type="text"
          id={`${id}-website`}
          name="website"
          tabIndex={-1}
          autoComplete="off"
          value={trap}
          onInput={(event) => setTrap(event.currentTarget.value)}
        />
      </div>
      {askName && <DisplayNamePrompt value={name || viewer.value!.displayName} onInput={setName} />}
      <div class="editor__actions">
        <button type="submit" class="button" disabled={busy}>
          {props.submitLabel}
        </button>
        <button
          type="button"
          class="button button--quiet"
          onClick={() => void togglePreview()}
          aria-pressed={preview !== null}
        >
          Preview
        </button>
        {props.onCancel && (
          <button type="button" class="button button--quiet" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      <p class="form__error" role="alert">
        {error}
      </p>
    </form>
  );
}
