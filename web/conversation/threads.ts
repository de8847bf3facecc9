import type { Connection, ResponseNode, ThreadNode } from './documents.js';

// Pure updates of a prompt's list of threads (top-level responses with replies).

export const nodes = <T>(connection: Connection<T>): T[] =>
  connection.edges.map((edge) => edge.node);

export function asThread(node: ResponseNode | ThreadNode): ThreadNode {
  return 'replies' in node
    ? node
    : {
        ...node,
        replies: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
      };
}

/** Replaces a response (top-level or reply) wherever it is, keeping loaded replies. */
export function replaceResponse(threads: ThreadNode[], node: ResponseNode): ThreadNode[] {
  return threads.map((thread) =>
    thread.id === node.id
      ? { ...thread, ...node, replies: thread.replies }
      : {
          ...thread,
          replies: {
            ...thread.replies,
            edges: thread.replies.edges.map((edge) =>
              edge.node.id === node.id ? { ...edge, node } : edge,
            ),
          },
        },
  );
}

/** Adds a reply at the end of its thread, once. */
export function addReply(threads: ThreadNode[], reply: ResponseNode): ThreadNode[] {
  return threads.map((thread) => {
    if (thread.id !== reply.parent?.id) return thread;
    if (thread.replies.edges.some((edge) => edge.node.id === reply.id)) return thread;
    return {
      ...thread,
      replyCount: thread.replyCount + 1,
      replies: { ...thread.replies, edges: [...thread.replies.edges, { cursor: '', node: reply }] },
    };
  });
}

export const contains = (threads: ThreadNode[], id: string): boolean =>
  threads.some((thread) => thread.id === id);

/** Takes a response (top-level or reply) out wherever it is. */
export function removeResponse(threads: ThreadNode[], id: string): ThreadNode[] {
  return threads
    .filter((thread) => thread.id !== id)
    .map((thread) =>
      thread.replies.edges.some((edge) => edge.node.id === id)
        ? {
            ...thread,
            replyCount: thread.replyCount - 1,
            replies: {
              ...thread.replies,
              edges: thread.replies.edges.filter((edge) => edge.node.id !== id),
            },
          }
        : thread,
    );
}
