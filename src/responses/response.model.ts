import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../common/pagination.js';
import { ResponseEntity, ResponseVisibility, ReviewStatus } from './response.entity.js';

registerEnumType(ResponseVisibility, {
  name: 'ResponseVisibility',
  valuesMap: {
    PUBLIC: { description: 'Everyone can read it.' },
    PRIVATE: { description: 'Only the author and the writer can read it.' },
  },
});
registerEnumType(ReviewStatus, { name: 'ReviewStatus' });

export enum ResponseOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
}
registerEnumType(ResponseOrder, { name: 'ResponseOrder' });

/**
 * A response or a reply. Review fields are resolved by field resolvers that
 * answer null to anyone but the author; the entity stays server-side.
 */
@ObjectType('Response')
export class ResponseModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'Markdown; null once deleted.' })
  body: string | null;

  @Field(() => String, { nullable: true, description: 'Sanitized HTML; null once deleted.' })
  bodyHtml: string | null;

  @Field(() => ResponseVisibility)
  visibility: ResponseVisibility;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  editedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  deletedAt: Date | null;

  /** The row behind it, for field resolvers; not a GraphQL field. */
  entity: ResponseEntity;

  static from(entity: ResponseEntity): ResponseModel {
    const deleted = entity.deletedAt !== null;
    return Object.assign(new ResponseModel(), {
      id: entity.id,
      body: deleted ? null : entity.bodyMarkdown,
      bodyHtml: deleted ? null : entity.bodyHtml,
      visibility: entity.visibility,
      createdAt: entity.createdAt,
      editedAt: entity.editedAt,
      deletedAt: entity.deletedAt,
      entity,
    });
  }
}

@ObjectType()
export class ResponseConnection extends ConnectionType(ResponseModel) {}

@ObjectType('ResponseEdit', { description: 'An earlier version of a response.' })
export class ResponseEditModel {
  @Field()
  body: string;

  @Field(() => GraphQLISODateTime, { description: 'When this version was replaced.' })
  replacedAt: Date;
}
