import type { ResponseNode, ThreadNode } from './documents.js';
import type { ThreadUpdate } from './Prompt.js';
import { ResponseItem } from './ResponseItem.js';

/** The replies under a response, oldest first; beyond the first few, one click away. */
export function ReplyThread(props: {
  thread: ThreadNode;
  isOpen: boolean;
  onChange: ThreadUpdate;
  onExpand: () => void;
  expanding: boolean;
}) {
  const replies: ResponseNode[] = props.thread.replies.edges.map((edge) => edge.node);
  const hidden = props.thread.replyCount - replies.length;
  if (replies.length === 0 && hidden <= 0) return null;
  return (
    <>
      {replies.length > 0 && (
        <ol class="replies" aria-label={`Replies to ${props.thread.author.displayName}`}>
          {replies.map((reply) => (
            <ResponseItem
              key={reply.id}
              response={reply}
              thread={props.thread}
              isOpen={props.isOpen}
              onChange={props.onChange}
            />
          ))}
        </ol>
      )}
      {hidden > 0 && (
        <p class="replies__more">
          <button
            type="button"
            class="button button--quiet"
            disabled={props.expanding}
            onClick={props.onExpand}
          >
            {hidden === 1 ? 'Show 1 more reply' : `Show ${hidden} more replies`}
          </button>
        </p>
      )}
    </>
  );
}
