import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../common/pagination.js';
import { UserEntity } from '../users/user.entity.js';
import { canManageInterest, canSeeInterest } from './interest-access.js';
import { InterestEntity, InterestStatus } from './interest.entity.js';
import { InterestNotVisible } from './interest.errors.js';
import { INTEREST_LIMITS } from './interest.limits.js';

registerEnumType(InterestStatus, {
  name: 'InterestStatus',
  description: "Where a collaborator interest is in the author's pipeline.",
});

/**
 * A reader's offer to collaborate. Only built for the author or the reader who
 * sent it (`from` refuses anyone else), so contact details cannot leak through
 * a path that forgot to check; the author's note is blanked for the reader.
 */
@ObjectType('CollaboratorInterest', {
  description: 'Visible to the author and to the reader who sent it, to no one else.',
})
export class CollaboratorInterestModel {
  @Field(() => ID)
  id: string;

  @Field()
  message: string;

  @Field(() => [String], {
    description: `Up to ${INTEREST_LIMITS.areas} short tags, trimmed and deduplicated.`,
  })
  areas: string[];

  @Field({ description: 'What the reader is building.' })
  building: string;

  @Field(() => String, { nullable: true, description: 'An http(s) URL.' })
  link: string | null;

  @Field(() => String, { nullable: true })
  availability: string | null;

  @Field()
  contactEmail: string;

  @Field()
  consentToContact: boolean;

  @Field(() => InterestStatus)
  status: InterestStatus;

  @Field(() => String, {
    nullable: true,
    description: "The author's private note; always null for the reader who sent it.",
  })
  note: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt: Date;

  /** For the essay and reader field resolvers; not GraphQL fields. */
  essayId: string;
  readerId: string;

  static from(entity: InterestEntity, viewer: UserEntity | null): CollaboratorInterestModel {
    if (!canSeeInterest(viewer, entity)) throw new InterestNotVisible();
    return Object.assign(new CollaboratorInterestModel(), {
      id: entity.id,
      message: entity.message,
      areas: entity.areas,
      building: entity.building,
      link: entity.link,
      availability: entity.availability,
      contactEmail: entity.contactEmail,
      consentToContact: entity.consentToContact,
      status: entity.status,
      note: canManageInterest(viewer) ? entity.note : null,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      essayId: entity.essayId,
      readerId: entity.readerId,
    });
  }
}

@ObjectType()
export class CollaboratorInterestConnection extends ConnectionType(CollaboratorInterestModel) {}
