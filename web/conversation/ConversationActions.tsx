import { useState } from 'preact/hooks';
import { InterestForm } from './InterestForm.js';
import { OwnInterest } from './OwnInterest.js';
import { focusSoon, ownInterest } from './state.js';
import { SubscribeForm } from './SubscribeForm.js';

type Panel = 'interest' | 'digest' | null;

/** "Offer to collaborate" and "Get the digest", each opening its form in place. */
export function ConversationActions({ essayId }: { essayId: string }) {
  const [open, setOpen] = useState<Panel>(null);
  const toggle = (panel: Exclude<Panel, null>) => {
    const next = open === panel ? null : panel;
    setOpen(next);
    if (next) focusSoon(`#rizom-${next} :is(input, textarea, button)`);
  };

  return (
    <section class="take-part" aria-label="Take part">
      {ownInterest.value && open !== 'interest' && <OwnInterest interest={ownInterest.value} />}
      <div class="take-part__buttons">
        <button
          type="button"
          class="button button--secondary"
          aria-expanded={open === 'interest'}
          aria-controls="rizom-interest"
          onClick={() => toggle('interest')}
        >
          Offer to collaborate
        </button>
        <button
          type="button"
          class="button button--secondary"
          aria-expanded={open === 'digest'}
          aria-controls="rizom-digest"
          onClick={() => toggle('digest')}
        >
          Get the digest
        </button>
      </div>
      <div id="rizom-interest" hidden={open !== 'interest'}>
        {open === 'interest' && <InterestForm essayId={essayId} onDone={() => setOpen(null)} />}
      </div>
      <div id="rizom-digest" hidden={open !== 'digest'}>
        {open === 'digest' && <SubscribeForm essayId={essayId} />}
      </div>
    </section>
  );
}
