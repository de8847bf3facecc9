// How the conversation updates its threads when responses, replies, edits and deletions arrive.
import type { ResponseNode, ThreadNode } from '../../web/conversation/documents.js';
import {
  addReply,
  asThread,
  contains,
  removeResponse,
  replaceResponse,
} from '../../web/conversation/threads.js';

const response = (id: string, parent: string | null = null): ResponseNode => ({
  id,
  bodyHtml: `<p>${id}</p>`,
  body: id,
  createdAt: '2026-12-01T10:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  visibility: 'PUBLIC',
  moderationState: null,
  replyCount: 0,
  parent: parent ? { id: parent } : null,
  prompt: { id: 'p' },
  author: { id: 'u', displayName: 'Jo', role: 'READER' },
});

describe('threads', () => {
  const threads: ThreadNode[] = [asThread(response('a')), asThread(response('b'))];

  it('adds a reply at the end of its own thread, once, and counts it', () => {
    const once = addReply(threads, response('r1', 'b'));
    const twice = addReply(once, response('r1', 'b'));
    expect(twice[1]!.replies.edges.map((edge) => edge.node.id)).toEqual(['r1']);
    expect(twice[1]!.replyCount).toBe(1);
    expect(twice[0]).toBe(threads[0]);
  });

  it('replaces an edited or deleted response wherever it is, keeping loaded replies', () => {
    const withReply = addReply(threads, response('r1', 'a'));
    const edited = replaceResponse(withReply, {
      ...response('a'),
      editedAt: '2026-12-01T11:00:00.000Z',
    });
    expect(edited[0]!.editedAt).not.toBeNull();
    expect(edited[0]!.replies.edges).toHaveLength(1);
    const deleted = replaceResponse(edited, {
      ...response('r1', 'a'),
      bodyHtml: null,
      deletedAt: 'x',
    });
    expect(deleted[0]!.replies.edges[0]!.node.bodyHtml).toBeNull();
    expect(deleted[1]).toEqual(threads[1]);
  });

  it('takes a response out wherever it is, uncounting a reply', () => {
    const withReplies = addReply(addReply(threads, response('r1', 'a')), response('r2', 'a'));
    const noReply = removeResponse(withReplies, 'r1');
    expect(noReply[0]!.replies.edges.map((edge) => edge.node.id)).toEqual(['r2']);
    expect(noReply[0]!.replyCount).toBe(1);
    expect(removeResponse(noReply, 'a').map((thread) => thread.id)).toEqual(['b']);
    expect(removeResponse(noReply, 'unknown')).toEqual(noReply);
  });

  it('knows which responses it shows', () => {
    expect(contains(threads, 'b')).toBe(true);
    expect(contains(threads, 'r1')).toBe(false);
  });
});
