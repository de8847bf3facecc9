import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { Audit } from './Audit.js';
import { Collaborators } from './Collaborators.js';
import { Essays } from './Essays.js';
import { Queue } from './Queue.js';
import { Settings } from './Settings.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { focusSearch, isTyping, moveThroughItems } from './shortcuts.js';
import { helpOpen } from './state.js';

export const SECTIONS = [
  { path: '/desk', name: 'Responses' },
  { path: '/desk/collaborators', name: 'Collaborators' },
  { path: '/desk/essays', name: 'Essays' },
  { path: '/desk/settings', name: 'Settings' },
  { path: '/desk/audit', name: 'Audit log' },
] as const;

/** The desk's frame for the author: who is signed in, the sections, and the one shown. */
export function DeskShell(props: {
  me: { displayName: string };
  signOut: ComponentChildren;
  onRenamed: () => Promise<void>;
}) {
  const path = location.pathname.replace(/\/+$/, '') || '/desk';
  const section = SECTIONS.find((candidate) => candidate.path === path) ?? SECTIONS[0];
  // The keys of every page: `?` and `/`; `j`/`k` on the lists (the queue has its own).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const { key } = event;
      let handled = true;
      if (key === '?') helpOpen.value = true;
      else if (key === '/') handled = focusSearch();
      else if ((key === 'j' || key === 'k') && section.path !== '/desk')
        moveThroughItems(key === 'j' ? 1 : -1);
      else handled = false;
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [section.path]);
  return (
    <>
      <header class="desk-bar">
        <h1>Desk</h1>
        <p class="desk-bar__who">
          Signed in as <strong>{props.me.displayName}</strong>
        </p>
        <button
          type="button"
          class="button button--quiet"
          aria-keyshortcuts="?"
          onClick={() => (helpOpen.value = true)}
        >
          Keyboard shortcuts
        </button>
        {props.signOut}
      </header>
      <nav class="desk-sections" aria-label="Desk">
        <ul>
          {SECTIONS.map((candidate) => (
            <li key={candidate.path}>
              <a href={candidate.path} aria-current={candidate === section ? 'page' : undefined}>
                {candidate.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section.path === '/desk' && <Queue />}
      {section.path === '/desk/collaborators' && <Collaborators />}
      {section.path === '/desk/essays' && <Essays />}
      {section.path === '/desk/settings' && <Settings onRenamed={props.onRenamed} />}
      {section.path === '/desk/audit' && <Audit />}
      <ShortcutHelp page={section.path} />
    </>
  );
}
