import type { ThreadNode } from './documents.js';
import type { ThreadUpdate } from './Prompt.js';
import { ResponseItem } from './ResponseItem.js';

export function ResponseList(props: {
  threads: ThreadNode[];
  isOpen: boolean;
  onChange: ThreadUpdate;
}) {
  return (
    <ol class="responses">
      {props.threads.map((thread) => (
        <ResponseItem
          key={thread.id}
          response={thread}
          thread={thread}
          isOpen={props.isOpen}
          onChange={props.onChange}
        />
      ))}
    </ol>
  );
}
