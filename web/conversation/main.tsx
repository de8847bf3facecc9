import { render } from 'preact';
import { readBoot } from '../shared/boot.js';
import { describeError, request } from '../shared/graphql.js';
import { frameReady } from '../embed/frame.js';
import { App } from './App.js';
import { conversationQuery } from './documents.js';
import { responseLimit } from './state.js';
import { loadViewer } from './viewer.js';
import type { ConversationQuery, ConversationQueryVariables } from '../shared/graphql-types.js';

// The server has rendered the conversation already (readable without JavaScript).
// It stays on screen until the interactive version has its data, then that one
// takes its place in #conversation with the same structure and classes.
async function start(): Promise<void> {
  const boot = readBoot();
  const root = document.getElementById('conversation');
  if (!boot || !root) return;
  responseLimit.value = boot.responseMaxLength;
  try {
    const data = await request<ConversationQuery, ConversationQueryVariables>(conversationQuery, {
      slug: boot.essay,
    });
    loadViewer(data);
    root.replaceChildren();
    render(<App boot={boot} initial={data} />, root);
  } catch (error) {
    const notice = document.createElement('p');
    notice.className = 'notice notice--error';
    notice.setAttribute('role', 'alert');
    notice.textContent = `The conversation could not load: ${describeError(error)}`;
    root.prepend(notice);
  }
  frameReady();
}

// In the embed, links in essays and responses open a new tab: the frame stays the conversation.
function openLinksOutside(): void {
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('.prose a[href]');
    if (link instanceof HTMLAnchorElement) {
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
  });
}

if (readBoot()?.mode === 'embed') openLinksOutside();
void start();
