/** What the server-rendered pages show: public data only, as an anonymous reader sees it. */

export interface EssaySummaryView {
  slug: string;
  title: string;
  excerpt: string;
  publishedAt: Date | null;
  responseCount: number;
}

export interface EssayIndexView {
  essays: EssaySummaryView[];
  /** The cursor of the next (older) page, when there is one. */
  nextCursor: string | null;
  isFirstPage: boolean;
}

export interface ResponseView {
  id: string;
  authorName: string;
  /** Written by the essay's author: marked as such. */
  byAuthor: boolean;
  createdAt: Date;
  edited: boolean;
  deleted: boolean;
  /** Sanitized HTML; empty once deleted. */
  bodyHtml: string;
  replies: ResponseView[];
  /** Visible replies, including those not loaded. */
  replyCount: number;
}

export interface PromptView {
  id: string;
  question: string;
  isOpen: boolean;
  responseCount: number;
  responses: ResponseView[];
  /** The cursor this page started after (null: the newest responses). */
  after: string | null;
  /** The cursor of the next (older) page, when there is one. */
  nextCursor: string | null;
}

export interface EssayView {
  slug: string;
  title: string;
  excerpt: string;
  publishedAt: Date | null;
  updatedAt: Date;
  tags: string[];
  bodyHtml: string;
  canonicalUrl: string;
  prompts: PromptView[];
}

/** What the pages tell the browser code about this platform. */
export interface PageSettings {
  publicUrl: string;
  /** RESPONSE_MAX_LENGTH, for the editor's counter. */
  responseMaxLength: number;
}
