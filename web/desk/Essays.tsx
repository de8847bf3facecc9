import { useEffect, useState } from 'preact/hooks';
import { announce } from '../conversation/state.js';
import { formatDate, plural } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  DeskEssayFieldsFragment,
  DeskEssaysQuery,
  DeskImportMutation,
  DeskImportMutationVariables,
} from '../shared/graphql-types.js';
import {
  deskAddPromptMutation,
  deskArchiveMutation,
  deskClosePromptMutation,
  deskEssaysQuery,
  deskImportMutation,
  deskPublishMutation,
  deskReopenPromptMutation,
  deskRewordPromptMutation,
} from './documents.js';
import { ListFilter } from './ListFilter.js';

type Essay = DeskEssayFieldsFragment;

interface ImportReport {
  title: string;
  added: string[];
  removed: string[];
  unchanged: string[];
}

const STATUS_NAMES: Record<string, string> = {
  DRAFT: 'Draft',
  PUBLISHED: 'Published',
  ARCHIVED: 'Archived',
};

/** The essays: import, publish, archive, prompts, embed snippet and export. */
export function Essays() {
  const [essays, setEssays] = useState<Essay[] | null>(null);
  const [error, setError] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [filter, setFilter] = useState('');
  const load = async () => {
    const data = await request<DeskEssaysQuery>(deskEssaysQuery);
    const list = data.essays.edges.map((edge) => edge.node);
    setEssays(list);
    return list;
  };
  useEffect(() => {
    load().catch((failure) => setError(describeError(failure)));
  }, []);

  const importFile = async (file: File) => {
    try {
      const markdown = await file.text();
      const before = essays ?? [];
      const { importEssay: imported } = await request<
        DeskImportMutation,
        DeskImportMutationVariables
      >(deskImportMutation, { markdown });
      const previous = before.find((essay) => essay.id === imported.id)?.prompts ?? [];
      const now = imported.prompts.map((prompt) => prompt.text);
      const was = previous.map((prompt) => prompt.text);
      setReport({
        title: imported.title,
        added: now.filter((text) => !was.includes(text)),
        removed: was.filter((text) => !now.includes(text)),
        unchanged: now.filter((text) => was.includes(text)),
      });
      setError('');
      announce(`Imported ${imported.title}.`);
      await load();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <section aria-labelledby="desk-essays-title">
      <h2 id="desk-essays-title">Essays</h2>
      <ImportBox onFile={importFile} />
      {report && <ImportSummary report={report} />}
      {error && (
        <p class="notice notice--danger" role="alert">
          {error}
        </p>
      )}
      {!essays && !error && <p>Loading…</p>}
      {essays && essays.length === 0 && <p class="notice">No essays yet: import one.</p>}
      {essays && essays.length > 0 && (
        <ListFilter
          id="desk-filter-essays"
          label="Filter essays"
          value={filter}
          onInput={setFilter}
        />
      )}
      {essays && (
        <ul class="essay-admin">
          {essays
            .filter((essay) => essay.title.toLowerCase().includes(filter.trim().toLowerCase()))
            .map((essay) => (
              <EssayItem key={essay.id} essay={essay} onChanged={load} onError={setError} />
            ))}
        </ul>
      )}
    </section>
  );
}

function ImportBox({ onFile }: { onFile: (file: File) => Promise<void> }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={`import-box${over ? ' import-box--over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const file = event.dataTransfer?.files[0];
        if (file) void onFile(file);
      }}
    >
      <label for="desk-import">Import a markdown file</label>
      <input
        id="desk-import"
        type="file"
        accept=".md,.markdown,text/markdown,text/plain"
        aria-describedby="desk-import-hint"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) void onFile(file);
          event.currentTarget.value = '';
        }}
      />
      <p class="field__hint" id="desk-import-hint">
        Or drop the file here. Importing the same file again updates its essay.
      </p>
    </div>
  );
}

function ImportSummary({ report }: { report: ImportReport }) {
  const list = (title: string, items: string[]) =>
    items.length > 0 && (
      <>
        <h4>{title}</h4>
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </>
    );
  return (
    <section class="notice notice--success" aria-labelledby="desk-import-report">
      <h3 id="desk-import-report">Imported “{report.title}”</h3>
      {report.added.length === 0 && report.removed.length === 0 ? (
        <p>Prompts unchanged.</p>
      ) : (
        <>
          {list('New prompts', report.added)}
          {list('Removed prompts', report.removed)}
          {list('Unchanged', report.unchanged)}
        </>
      )}
    </section>
  );
}

function EssayItem(props: {
  essay: Essay;
  onChanged: () => Promise<unknown>;
  onError: (message: string) => void;
}) {
  const { essay } = props;
  const [newPrompt, setNewPrompt] = useState('');
  const run = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      announce(done);
      props.onError('');
      await props.onChanged();
    } catch (failure) {
      props.onError(describeError(failure));
    }
  };
  const snippet = `<script async src="${publicUrl()}/embed.js" data-essay="${essay.slug}"></script>`;
  const id = `essay-${essay.id}`;
  return (
    <li class="essay-admin__item">
      <article aria-labelledby={`${id}-title`} data-desk-item tabIndex={-1}>
        <h3 id={`${id}-title`}>{essay.title}</h3>
        <p class="queue-row__meta">
          <span class="badge">{STATUS_NAMES[essay.status] ?? essay.status}</span>
          {essay.publishedAt && <span>Published {formatDate(essay.publishedAt)}</span>}
          <span>{plural(essay.responseCount, 'response')}</span>
          <span>{plural(essay.subscriberCount ?? 0, 'digest subscriber')}</span>
          {essay.status === 'PUBLISHED' && (
            <a href={`/essays/${encodeURIComponent(essay.slug)}`}>Read it</a>
          )}
        </p>
        <div class="desk-detail__actions">
          {essay.status !== 'PUBLISHED' && (
            <button
              type="button"
              class="button"
              onClick={() =>
                void run(
                  () => request(deskPublishMutation, { id: essay.id }),
                  `Published ${essay.title}.`,
                )
              }
            >
              Publish
            </button>
          )}
          {essay.status !== 'ARCHIVED' && (
            <button
              type="button"
              class="button button--secondary"
              onClick={() =>
                void run(
                  () => request(deskArchiveMutation, { id: essay.id }),
                  `Archived ${essay.title}.`,
                )
              }
            >
              Archive
            </button>
          )}
          {/* The desk's session cookie signs the download in (auth/session-cookie.ts). */}
          <a
            class="button button--secondary"
            href={`/essays/${essay.id}/export.csv`}
            download={`${essay.slug}.csv`}
          >
            Download CSV
          </a>
        </div>
        <h4>Prompts</h4>
        <ol class="essay-admin__prompts">
          {essay.prompts.map((prompt) => (
            <PromptItem key={prompt.id} prompt={prompt} run={run} />
          ))}
        </ol>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(
              () => request(deskAddPromptMutation, { essayId: essay.id, text: newPrompt }),
              'Prompt added.',
            ).then(() => setNewPrompt(''));
          }}
        >
          <div class="field">
            <label for={`${id}-new-prompt`}>New prompt</label>
            <input
              id={`${id}-new-prompt`}
              type="text"
              required
              value={newPrompt}
              onInput={(event) => setNewPrompt(event.currentTarget.value)}
            />
          </div>
          <button type="submit" class="button button--secondary">
            Add prompt
          </button>
        </form>
        <div class="field">
          <label for={`${id}-snippet`}>Embed snippet</label>
          <textarea id={`${id}-snippet`} rows={2} readOnly value={snippet} />
        </div>
        <button
          type="button"
          class="button button--quiet"
          onClick={() =>
            void (async () => {
              try {
                await navigator.clipboard.writeText(snippet);
                announce('Snippet copied.');
              } catch {
                announce('Could not copy: select the snippet and copy it.');
              }
            })()
          }
        >
          Copy snippet
        </button>
      </article>
    </li>
  );
}

function PromptItem(props: {
  prompt: Essay['prompts'][number];
  run: (work: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const { prompt } = props;
  const [text, setText] = useState(prompt.text);
  return (
    <li>
      <form
        class="essay-admin__prompt"
        onSubmit={(event) => {
          event.preventDefault();
          void props.run(
            () => request(deskRewordPromptMutation, { id: prompt.id, text }),
            'Prompt saved.',
          );
        }}
      >
        <label class="visually-hidden" for={`prompt-${prompt.id}`}>
          Prompt
        </label>
        <input
          id={`prompt-${prompt.id}`}
          type="text"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" class="button button--quiet">
          Save
        </button>
        {prompt.isOpen ? (
          <button
            type="button"
            class="button button--quiet"
            onClick={() =>
              void props.run(
                () => request(deskClosePromptMutation, { id: prompt.id }),
                'Prompt closed.',
              )
            }
          >
            Close
          </button>
        ) : (
          <>
            <span class="badge">Closed</span>
            <button
              type="button"
              class="button button--quiet"
              onClick={() =>
                void props.run(
                  () => request(deskReopenPromptMutation, { id: prompt.id }),
                  'Prompt reopened.',
                )
              }
            >
              Reopen
            </button>
          </>
        )}
        <span class="queue-row__meta">{plural(prompt.responseCount, 'response')}</span>
      </form>
    </li>
  );
}

/** PUBLIC_URL, as the page's boot data tells it (the address readers use). */
function publicUrl(): string {
  try {
    const boot = JSON.parse(document.getElementById('rizom-boot')?.textContent ?? '{}');
    return typeof boot.publicUrl === 'string'
      ? boot.publicUrl.replace(/\/+$/, '')
      : location.origin;
  } catch {
    return location.origin;
  }
}
