import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../common/pagination.js';
import { EssayEntity, EssayStatus } from './essay.entity.js';

registerEnumType(EssayStatus, { name: 'EssayStatus' });

@ObjectType('Essay', { description: 'An essay, served as a discussion prompt.' })
export class EssayModel {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  title: string;

  @Field()
  bodyMarkdown: string;

  @Field({ description: 'The body rendered to sanitized HTML.' })
  bodyHtml: string;

  @Field({ description: 'The first paragraph as plain text, at most 280 characters.' })
  excerpt: string;

  @Field(() => EssayStatus)
  status: EssayStatus;

  @Field(() => GraphQLISODateTime, { nullable: true })
  publishedAt: Date | null;

  @Field(() => [String])
  tags: string[];

  @Field(() => [String])
  entityIds: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Where the essay lives when published elsewhere.',
  })
  canonicalUrl: string | null;

  @Field(() => GraphQLJSONObject, {
    description: 'Frontmatter keys the platform does not use, as written.',
  })
  frontmatter: Record<string, unknown>;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt: Date;

  static from(entity: EssayEntity): EssayModel {
    return Object.assign(new EssayModel(), {
      id: entity.id,
      slug: entity.slug,
      title: entity.title,
      bodyMarkdown: entity.bodyMarkdown,
      bodyHtml: entity.bodyHtml,
      excerpt: entity.excerpt,
      status: entity.status,
      publishedAt: entity.publishedAt,
      tags: entity.tags,
      entityIds: entity.entityIds,
      canonicalUrl: entity.canonicalUrl,
      frontmatter: entity.frontmatter,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
    });
  }
}

@ObjectType()
export class EssayConnection extends ConnectionType(EssayModel) {}
