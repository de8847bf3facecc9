import { useCallback, useState } from 'preact/hooks';
import type { Boot } from '../shared/boot.js';
import { describeError, request } from '../shared/graphql.js';
import { AccountBar } from './AccountBar.js';
import { ConversationActions } from './ConversationActions.js';
import { conversationQuery } from './documents.js';
import { PromptList } from './PromptList.js';
import { StatusRegion } from './StatusRegion.js';
import { announce } from './state.js';
import { loadViewer } from './viewer.js';
import type { ConversationQuery, ConversationQueryVariables } from '../shared/graphql-types.js';

export function App({ boot, initial }: { boot: Boot; initial: ConversationQuery }) {
  const [essay, setEssay] = useState(initial.essay);
  // Each load starts the prompts afresh (drafts live in storage, so none is lost).
  const [generation, setGeneration] = useState(0);

  // After signing in or out, what the reader may see changes (their private
  // responses, their offer): load the conversation again as them.
  const reload = useCallback(async () => {
    try {
      const data = await request<ConversationQuery, ConversationQueryVariables>(conversationQuery, {
        slug: boot.essay,
      });
      loadViewer(data);
      setEssay(data.essay);
      setGeneration((n) => n + 1);
    } catch (error) {
      announce(describeError(error));
    }
  }, [boot.essay]);

  const prompts = boot.prompt
    ? essay.prompts.filter((prompt) => prompt.id === boot.prompt)
    : essay.prompts;

  return (
    <>
      <StatusRegion />
      <AccountBar returnTo={`/essays/${encodeURIComponent(boot.essay)}`} onChange={reload} />
      <PromptList key={generation} prompts={prompts} essayId={essay.id} />
      <ConversationActions essayId={essay.id} />
    </>
  );
}
