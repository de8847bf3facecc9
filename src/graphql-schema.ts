import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { AccountResolver } from './account/account.resolver.js';
import { AuditLogResolver } from './audit/audit-log.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { EssaysResolver } from './essays/essays.resolver.js';
import { PromptsResolver } from './essays/prompts.resolver.js';
import {
  InterestResolver,
  MeInterestsResolver,
  ResponseInterestResolver,
} from './interest/interest.resolver.js';
import {
  EssayResponsesResolver,
  PromptResponsesResolver,
} from './responses/prompt-responses.resolver.js';
import { MarkdownPreviewResolver } from './responses/markdown-preview.resolver.js';
import { DeskCountsChangedResolver } from './responses/desk-counts-changed.resolver.js';
import { DeskResponseAddedResolver } from './responses/desk-response-added.resolver.js';
import { BansResolver } from './responses/moderation/bans.resolver.js';
import {
  ModerationResolver,
  ResponseModerationResolver,
} from './responses/moderation/moderation.resolver.js';
import {
  ReportsResolver,
  ResponseReportsResolver,
} from './responses/moderation/reports.resolver.js';
import { ResponseAddedResolver } from './responses/response-added.resolver.js';
import { ResponseRemovedResolver } from './responses/response-removed.resolver.js';
import { ResponsesResolver } from './responses/responses.resolver.js';
import { ReviewResolver } from './responses/review.resolver.js';
import { DigestsResolver, MeNotificationsResolver } from './digests/digests.resolver.js';
import { EssaySubscribersResolver } from './digests/essay-subscribers.resolver.js';
import { UsersResolver } from './users/users.resolver.js';

/** Every resolver the API serves; a test checks this matches the running app. */
export const apiResolvers = [
  AuthResolver,
  UsersResolver,
  EssaysResolver,
  PromptsResolver,
  ResponsesResolver,
  PromptResponsesResolver,
  EssayResponsesResolver,
  ResponseAddedResolver,
  ResponseRemovedResolver,
  DeskResponseAddedResolver,
  DeskCountsChangedResolver,
  MarkdownPreviewResolver,
  ModerationResolver,
  ResponseModerationResolver,
  BansResolver,
  ReportsResolver,
  ResponseReportsResolver,
  ReviewResolver,
  DigestsResolver,
  EssaySubscribersResolver,
  MeNotificationsResolver,
  InterestResolver,
  MeInterestsResolver,
  ResponseInterestResolver,
  AuditLogResolver,
  AccountResolver,
];

/** The SDL committed as schema.gql: sorted, so API changes show plainly in review. */
export function printSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}

/** Builds the schema from the resolvers alone: no database, no server. */
export async function buildSdl(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, {
    logger: false,
  });
  try {
    await app.init();
    return printSdl(await app.get(GraphQLSchemaFactory).create(apiResolvers));
  } finally {
    await app.close();
  }
}
