import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { AuthResolver } from './auth/auth.resolver.js';
import { EssaysResolver } from './essays/essays.resolver.js';
import { PromptsResolver } from './essays/prompts.resolver.js';
import { UsersResolver } from './users/users.resolver.js';

/** Every resolver the API serves; a test checks this matches the running app. */
export const apiResolvers = [AuthResolver, UsersResolver, EssaysResolver, PromptsResolver];

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
