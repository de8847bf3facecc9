import { Field, Int, ObjectType } from '@nestjs/graphql';

/** How many responses each saved view of the desk holds, as the queue would list them. */
@ObjectType('ReviewQueueCounts')
export class ReviewQueueCountsModel {
  @Field(() => Int, { description: 'The inbox: everything but ARCHIVED and SPAM.' })
  inbox: number;

  @Field(() => Int, { description: 'Status SHORTLISTED.' })
  shortlist: number;

  @Field(() => Int, {
    description: 'Public responses older than 48 hours without a reply from the author.',
  })
  needsReply: number;

  @Field(() => Int, { description: 'Held for the author (moderation).' })
  held: number;

  @Field(() => Int, { description: 'With an open report.' })
  reported: number;
}
