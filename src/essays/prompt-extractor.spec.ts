import {
  DEFAULT_PROMPT,
  extractPrompts,
  normalizePrompt,
  uniquePrompts,
} from './prompt-extractor.js';

describe('extractPrompts', () => {
  describe('the closing section', () => {
    it('is the last "##" section: questions in earlier sections are left out', () => {
      const markdown = [
        '# Title',
        'Why do systems grow?',
        '## First section',
        'What is a living organization?',
        '## Closing',
        'What does growth look like in your world? I would love to hear.',
        'And what are you building?',
      ].join('\n\n');
      expect(extractPrompts(markdown)).toEqual([
        'What does growth look like in your world?',
        'And what are you building?',
      ]);
    });

    it('runs to the end of the essay, through "###" subsections and later "#" headings', () => {
      const markdown = [
        '## Early',
        'Early question?',
        '## Closing',
        'Closing question?',
        '### A subsection',
        'Subsection question?',
        '# A first-level heading',
        'Question after it?',
      ].join('\n\n');
      expect(extractPrompts(markdown)).toEqual([
        'Closing question?',
        'Subsection question?',
        'Question after it?',
      ]);
    });

    it('is not started by a "###" or "#" heading', () => {
      const markdown = ['## Closing', 'Kept?', '### Deeper', 'Also kept?'].join('\n\n');
      expect(extractPrompts(markdown)).toEqual(['Kept?', 'Also kept?']);
      const withoutDepthTwo = ['# Title', 'First?', '### Deeper', 'Second?', 'Third?', 'Fourth?'];
      expect(extractPrompts(withoutDepthTwo.join('\n\n'))).toEqual([
        'Second?',
        'Third?',
        'Fourth?',
      ]);
    });

    it('counts an underlined (setext) second-level heading', () => {
      const markdown = 'Before?\n\nClosing\n-------\n\nAfter?';
      expect(extractPrompts(markdown)).toEqual(['After?']);
    });

    it('includes a question asked in a heading inside it', () => {
      expect(extractPrompts('## Closing\n\n### What would you change?\n\nTell me.')).toEqual([
        'What would you change?',
      ]);
    });

    it('gives the default prompt when the last "##" heading ends the essay', () => {
      expect(extractPrompts('Is this a question?\n\n## Is the heading one?')).toEqual([
        DEFAULT_PROMPT,
      ]);
    });

    it('is the last three paragraphs when there is no "##" heading', () => {
      const markdown = ['First?', 'Second?', 'Third?', 'Fourth?', 'Fifth.'].join('\n\n');
      expect(extractPrompts(markdown)).toEqual(['Third?', 'Fourth?']);
    });

    it('counts a list or a blockquote as one of the last three paragraphs', () => {
      const markdown = ['Too early?', 'Paragraph?', '- Listed?', '> Quoted?'].join('\n\n');
      expect(extractPrompts(markdown)).toEqual(['Paragraph?', 'Listed?', 'Quoted?']);
    });
  });

  describe('questions', () => {
    it('are every sentence ending in "?", several in one paragraph', () => {
      const markdown = '## Closing\n\nIs it A? It is B. Or is it C?? Maybe D! What about E?';
      expect(extractPrompts(markdown)).toEqual(['Is it A?', 'Or is it C??', 'What about E?']);
    });

    it('do not split at decimal points or abbreviations', () => {
      const markdown = '## Closing\n\nIs 3.5 enough? What about tools, e.g. spreadsheets?';
      expect(extractPrompts(markdown)).toEqual([
        'Is 3.5 enough?',
        'What about tools, e.g. spreadsheets?',
      ]);
    });

    it('are found in list items, nested lists, task lists and blockquotes', () => {
      const markdown = [
        '## Closing',
        '- Who are you?\n- What do you build?\n  - With whom?',
        '1. Where?\n2. When?',
        '- [ ] Why now?',
        '> How does it feel?\n>\n> > And deeper?',
      ].join('\n\n');
      expect(extractPrompts(markdown)).toEqual([
        'Who are you?',
        'What do you build?',
        'With whom?',
        'Where?',
        'When?',
        'Why now?',
        'How does it feel?',
        'And deeper?',
      ]);
    });

    it('lose the quotes and brackets around them', () => {
      const markdown =
        '## Closing\n\n"What do you think?" she asked. (Where would you start?) [Who else?] “Where next?” ‘Why?’';
      expect(extractPrompts(markdown)).toEqual([
        'What do you think?',
        'Where would you start?',
        'Who else?',
        'Where next?',
        'Why?',
      ]);
    });

    it('keep quotes that are part of the question', () => {
      expect(extractPrompts('## Closing\n\nHave you read "Thinking in Systems"?')).toEqual([
        'Have you read "Thinking in Systems"?',
      ]);
      expect(extractPrompts('## Closing\n\nDid she say "why not?"')).toEqual([
        'Did she say "why not?"',
      ]);
    });

    it('span soft line breaks and hard breaks, with spaces tidied', () => {
      expect(extractPrompts('## Closing\n\nWhat does a living\norganization   look like?')).toEqual(
        ['What does a living organization look like?'],
      );
      expect(extractPrompts('## Closing\n\nWhat does it  \nlook like?')).toEqual([
        'What does it look like?',
      ]);
    });

    it('are plain text: emphasis, links, code spans and raw HTML tags removed', () => {
      const markdown =
        '## Closing\n\nWhat is *really* **at stake** in [your work](https://example.com)? Do you use `git` or <b>HTML</b>?';
      expect(extractPrompts(markdown)).toEqual([
        'What is really at stake in your work?',
        'Do you use git or HTML?',
      ]);
    });

    it('have HTML entities decoded and backslash escapes applied', () => {
      const markdown =
        '## Closing\n\nWhat about Q&amp;A? And &quot;quotes&quot;? Is &lt;main&gt; &copy; yours? Is \\*this\\* literal?';
      expect(extractPrompts(markdown)).toEqual([
        'What about Q&A?',
        'And "quotes"?',
        'Is <main> © yours?',
        'Is *this* literal?',
      ]);
    });

    it('keep a literal "<" and "&" as written', () => {
      expect(extractPrompts('## Closing\n\nWhy <3 this & that?')).toEqual(['Why <3 this & that?']);
    });

    it('are not taken from fenced or indented code blocks, or raw HTML blocks', () => {
      const markdown = [
        '## Closing',
        '```js\n// is this a question?\n```',
        '    indented code?',
        '<div>Raw HTML question?</div>',
      ].join('\n\n');
      expect(extractPrompts(markdown)).toEqual([DEFAULT_PROMPT]);
    });

    it('are not taken from text after the question mark, or punctuation alone', () => {
      expect(extractPrompts('## Closing\n\nWhat now? I would love to hear.')).toEqual([
        'What now?',
      ]);
      expect(extractPrompts('## Closing\n\n?\n\n...?\n\n"?"')).toEqual([DEFAULT_PROMPT]);
    });

    it('are at most 500 characters; longer sentences are skipped', () => {
      const long = `Why ${'very '.repeat(100)}long?`;
      expect(long.length).toBeGreaterThan(500);
      expect(extractPrompts(`## Closing\n\n${long} Short?`)).toEqual(['Short?']);
    });

    it('appear once: repeats are removed without regard to case or spacing', () => {
      const markdown = '## Closing\n\nWhat now?\n\nwhat NOW?\n\n- What   now?\n\nWhy?';
      expect(extractPrompts(markdown)).toEqual(['What now?', 'Why?']);
    });
  });

  describe('the default prompt', () => {
    it('is the only prompt when the closing section asks nothing', () => {
      expect(extractPrompts('## Closing\n\nThat is all. Thank you!')).toEqual([DEFAULT_PROMPT]);
    });

    it('is the only prompt of an empty essay', () => {
      expect(extractPrompts('')).toEqual(['What are you building?']);
    });

    it('is not added when a question was found', () => {
      expect(extractPrompts('## Closing\n\nWhat is next?')).not.toContain(DEFAULT_PROMPT);
    });
  });
});

describe('normalizePrompt', () => {
  it('collapses whitespace and trims', () => {
    expect(normalizePrompt('  What\n\tis   next?  ')).toBe('What is next?');
  });
});

describe('uniquePrompts', () => {
  it('keeps the first of prompts that differ only in case, in order', () => {
    expect(uniquePrompts(['Why?', 'How?', 'WHY?', 'why?', 'When?'])).toEqual([
      'Why?',
      'How?',
      'When?',
    ]);
  });
});
