import type { PromptNode } from './documents.js';
import { Prompt } from './Prompt.js';

export function PromptList({ prompts, essayId }: { prompts: PromptNode[]; essayId: string }) {
  if (prompts.length === 0) return <p class="notice">This essay asks no questions yet.</p>;
  return (
    <>
      {prompts.map((prompt) => (
        <Prompt key={prompt.id} prompt={prompt} essayId={essayId} />
      ))}
    </>
  );
}
