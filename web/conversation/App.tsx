import { useCallback, useState } from 'preact/hooks';
import type { Boot } from '../shared/boot.js';
import { describeError, request } from '../shared/graphql.js';
import { AccountBar } from './AccountBar.js';
import { ConversationActions } from './ConversationActions.js';
import { conversationQuery, type ConversationData } from './documents.js';
import { PromptList } from './PromptList.js';
import { StatusRegion } from './StatusRegion.js';
import { announce, viewer } from './state.js';
import { loadViewer } from './viewer.js';

export function App({ boot, initial }: { boot: Boot; initial: ConversationData }) {
  const [essay, setEssay] = useState(initial.essay);

  // After signing in or out, what the reader may see changes (their private
  // responses, their offer): load the conversation again as them.
  const reload = useCallback(async () => {
    try {
      const data = await request<ConversationData>(conversationQuery, { slug: boot.essay });
      loadViewer(data);
      setEssay(data.essay);
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
      <AccountBar onChange={reload} />
      <PromptList key={viewer.value?.id ?? 'anonymous'} prompts={prompts} />
      <ConversationActions essayId={essay.id} />
    </>
  );
}
