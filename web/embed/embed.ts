import type { FrameMessage } from './messages.js';

// The loader authors paste into their own pages:
//   <script async src="PUBLIC_URL/embed.js" data-essay="SLUG"></script>
// (optional data-theme="light|dark|auto", data-prompt="ID"). It puts a cross-origin
// iframe where the script stands: the host page's scripts cannot read what the
// reader sees or types inside it. No framework, nothing global, under 2 KB.

const RESERVED_HEIGHT = 480;

function mount(script: HTMLScriptElement): void {
  script.dataset.rizomMounted = '';
  const slug = script.dataset.essay;
  if (!slug) return;
  if (script.closest('head') && !document.body) {
    document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
    return;
  }
  const src = new URL(script.src, location.href);
  const base = src.href.replace(/\/embed\.js([?#].*)?$/, '');
  const theme = /^(light|dark)$/.test(script.dataset.theme ?? '') ? script.dataset.theme! : 'auto';
  const query = new URLSearchParams({ theme });
  if (script.dataset.prompt) query.set('prompt', script.dataset.prompt);

  const frame = document.createElement('iframe');
  frame.title = `Conversation: ${script.dataset.title ?? slug.replace(/-/g, ' ')}`;
  frame.className = 'rizom-conversation';
  // Hidden but in place until the frame says it is ready: the space is reserved (no
  // layout shift), and its canvas matches the theme (no white flash on dark pages).
  frame.style.cssText = `display:block;width:100%;border:0;background:transparent;min-height:${RESERVED_HEIGHT}px;visibility:hidden`;
  frame.style.colorScheme = theme === 'auto' ? 'light dark' : theme;
  // Where the script stands; a snippet pasted into <head> puts it at the end of <body>.
  if (script.closest('head')) document.body.append(frame);
  else script.after(frame);

  const load = () => {
    frame.src = `${base}/embed/essays/${encodeURIComponent(slug)}?${query}`;
  };
  if ('IntersectionObserver' in window) {
    // Loads when within ~1000 px of the viewport (at once when already near).
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          load();
        }
      },
      { rootMargin: '1000px 0px' },
    );
    observer.observe(frame);
  } else {
    load();
  }

  addEventListener('message', (event: MessageEvent<FrameMessage>) => {
    // Only this frame, and only from the platform's origin: any other window could post.
    if (event.source !== frame.contentWindow || event.origin !== src.origin) return;
    const message = event.data;
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'rizom:ready' || message.type === 'rizom:height') {
      if (typeof message.height !== 'number' || !(message.height > 0)) return;
      frame.style.height = `${Math.min(message.height, 100000)}px`;
      frame.style.minHeight = '0';
      frame.style.visibility = 'visible';
    } else if (message.type === 'rizom:scrollTo' && typeof message.top === 'number') {
      const top = frame.getBoundingClientRect().top + message.top;
      if (top < 0 || top > innerHeight - 80)
        scrollTo({ top: scrollY + top - 80, behavior: 'smooth' });
    }
  });
}

const current = document.currentScript as HTMLScriptElement | null;
if (current?.dataset.essay !== undefined) mount(current);
else
  document
    .querySelectorAll<HTMLScriptElement>(
      'script[src$="/embed.js"][data-essay]:not([data-rizom-mounted])',
    )
    .forEach(mount);
