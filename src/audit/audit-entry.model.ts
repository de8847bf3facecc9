import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../common/pagination.js';
import { AuditAction, AuditEntryEntity, type AuditState } from './audit-entry.entity.js';

registerEnumType(AuditAction, { name: 'AuditAction' });

@ObjectType('AuditEntry', { description: 'One author action, as the audit log keeps it.' })
export class AuditEntryModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: 'Who acted; null for the CLI and jobs.' })
  actorId: string | null;

  @Field(() => AuditAction)
  action: AuditAction;

  @Field({ description: 'The kind of object acted on: essay, response, interest, user.' })
  subjectType: string;

  @Field(() => ID)
  subjectId: string;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'What changed, before (in brief).',
  })
  before: AuditState | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'What changed, after (in brief).',
  })
  after: AuditState | null;

  @Field(() => GraphQLISODateTime)
  occurredAt: Date;

  static from(entity: AuditEntryEntity): AuditEntryModel {
    return Object.assign(new AuditEntryModel(), {
      id: entity.id,
      actorId: entity.actorId,
      action: entity.action,
      subjectType: entity.subjectType,
      subjectId: entity.subjectId,
      before: entity.before,
      after: entity.after,
      occurredAt: entity.occurredAt,
    });
  }
}

export const AuditEntryConnection = ConnectionType(AuditEntryModel);
