/*
 * Email templates. The HTML is MJML (responsive, client-safe markup), compiled
 * once at start-up; Handlebars fills it per message. Plain-text parts are
 * Handlebars templates of their own. MJML drops text that sits between its
 * components, so a Handlebars block around components goes in <mj-raw>.
 * Links in the HTML go through the `href` helper: HTML-escaped, but with `=`
 * kept as it is (Handlebars would write `&#x3D;`), so an href reads as the link.
 */

const head = `<mj-head>
  <mj-attributes>
    <mj-all font-family="Georgia, 'Times New Roman', serif" />
    <mj-text font-size="16px" line-height="1.5" color="#222222" />
  </mj-attributes>
  <mj-preview>{{preview}}</mj-preview>
</mj-head>`;

const footer = `<mj-section>
  <mj-column>
    <mj-text font-size="12px" color="#777777">
      {{#if manageUrl}}<a href="{{href manageUrl}}" style="color:#777777">Manage this subscription</a> · {{/if}}<a href="{{href unsubscribeUrl}}" style="color:#777777">Unsubscribe</a><br />
      {{postalAddress}}
    </mj-text>
  </mj-column>
</mj-section>`;

export const DIGEST_MJML = `<mjml>
${head}
<mj-body background-color="#f6f5f2">
  <mj-section background-color="#ffffff" padding="24px">
    <mj-column>
      <mj-text font-size="22px">{{title}}</mj-text>
      <mj-raw>{{#if essays.length}}</mj-raw>
      <mj-text font-size="18px" padding-top="16px">New essays</mj-text>
      <mj-text>
        {{#each essays}}<p><a href="{{href url}}" style="color:#1f4d3a"><strong>{{title}}</strong></a><br />{{excerpt}}</p>{{/each}}
      </mj-text>
      <mj-raw>{{/if}}</mj-raw>
      <mj-raw>{{#each conversations}}</mj-raw>
      <mj-text font-size="18px" padding-top="16px"><a href="{{href url}}" style="color:#1f4d3a">{{title}}</a></mj-text>
      <mj-text>
        {{#each prompts}}<p><em>{{text}}</em> — {{count}} new {{#if one}}response{{else}}responses{{/if}}</p>
        <ul>{{#each latest}}<li><strong>{{writer}}</strong>: {{excerpt}} <a href="{{href url}}" style="color:#1f4d3a">Read</a></li>{{/each}}</ul>{{/each}}
        {{#if authorReplies.length}}<p>The author replied:</p><ul>{{#each authorReplies}}<li>{{excerpt}} <a href="{{href url}}" style="color:#1f4d3a">Read</a></li>{{/each}}</ul>{{/if}}
      </mj-text>
      <mj-raw>{{/each}}</mj-raw>
    </mj-column>
  </mj-section>
  ${footer}
</mj-body>
</mjml>`;

export const DIGEST_TEXT = `{{title}}
{{#if essays.length}}
New essays
{{#each essays}}
- {{title}}: {{url}}
  {{excerpt}}
{{/each}}
{{/if}}
{{#each conversations}}

{{title}} ({{url}})
{{#each prompts}}
  {{text}} — {{count}} new {{#if one}}response{{else}}responses{{/if}}
{{#each latest}}
  - {{writer}}: {{excerpt}} ({{url}})
{{/each}}
{{/each}}
{{#if authorReplies.length}}
  The author replied:
{{#each authorReplies}}
  - {{excerpt}} ({{url}})
{{/each}}
{{/if}}
{{/each}}

--
{{#if manageUrl}}Manage this subscription: {{manageUrl}}
{{/if}}Unsubscribe: {{unsubscribeUrl}}
{{postalAddress}}
`;

export const NOTICE_MJML = `<mjml>
${head}
<mj-body background-color="#f6f5f2">
  <mj-section background-color="#ffffff" padding="24px">
    <mj-column>
      <mj-text font-size="20px">{{heading}}</mj-text>
      <mj-raw>{{#each paragraphs}}</mj-raw><mj-text>{{this}}</mj-text><mj-raw>{{/each}}</mj-raw>
      <mj-raw>{{#if quote}}</mj-raw><mj-text padding-left="32px" color="#444444"><em>{{quote}}</em></mj-text><mj-raw>{{/if}}</mj-raw>
      <mj-raw>{{#if buttonUrl}}</mj-raw><mj-button href="{{href buttonUrl}}" background-color="#1f4d3a" align="left">{{buttonLabel}}</mj-button><mj-raw>{{/if}}</mj-raw>
      <mj-raw>{{#if signInCode}}</mj-raw>
      <mj-text>{{signInCode.intro}}</mj-text>
      <mj-text><p data-sign-in-code style="font-family:Menlo,Consolas,monospace;font-size:32px;letter-spacing:6px;font-weight:bold;user-select:all;-webkit-user-select:all;margin:8px 0 16px">{{signInCode.value}}</p></mj-text>
      <mj-raw>{{/if}}</mj-raw>
      <mj-raw>{{#each after}}</mj-raw><mj-text>{{this}}</mj-text><mj-raw>{{/each}}</mj-raw>
      <mj-raw>{{#each lists}}</mj-raw>
      <mj-text font-size="17px" padding-top="12px">{{title}}</mj-text>
      <mj-text><ul>{{#each items}}<li>{{#if url}}<a href="{{href url}}" style="color:#1f4d3a">{{text}}</a>{{else}}{{text}}{{/if}}</li>{{/each}}</ul></mj-text>
      <mj-raw>{{/each}}</mj-raw>
      <mj-raw>{{#if showButtonUrl}}</mj-raw><mj-text font-size="13px" color="#666666">Or paste this link into your browser:<br />{{href buttonUrl}}</mj-text><mj-raw>{{/if}}</mj-raw>
      <mj-raw>{{#each fineprint}}</mj-raw><mj-text font-size="13px" color="#666666">{{this}}</mj-text><mj-raw>{{/each}}</mj-raw>
    </mj-column>
  </mj-section>
  <mj-raw>{{#if unsubscribeUrl}}</mj-raw>${footer}<mj-raw>{{/if}}</mj-raw>
</mj-body>
</mjml>`;

export const NOTICE_TEXT = `{{heading}}

{{#each paragraphs}}{{this}}

{{/each}}{{#if quote}}> {{quote}}

{{/if}}{{#if buttonUrl}}{{buttonLabel}}: {{buttonUrl}}

{{/if}}{{#if signInCode}}{{signInCode.intro}}

    {{signInCode.value}}

{{/if}}{{#each after}}{{this}}

{{/each}}{{#each lists}}{{title}}
{{#each items}}- {{text}}{{#if url}} ({{url}}){{/if}}
{{/each}}
{{/each}}{{#each fineprint}}{{this}}

{{/each}}{{#if unsubscribeUrl}}--
{{#if manageUrl}}Manage: {{manageUrl}}
{{/if}}Unsubscribe: {{unsubscribeUrl}}
{{postalAddress}}
{{/if}}`;
