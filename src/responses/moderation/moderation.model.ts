import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/pagination.js';
import type { ReaderBanEntity } from '../../users/reader-ban.entity.js';
import { ReportEntity, ReportReason, ReportStatus } from './report.entity.js';
import { ReportAction } from './reports.service.js';
import { ModerationMode } from './moderation-settings.entity.js';
import { HeldReason, ModerationState } from './moderation-state.js';
import type { SettingsView } from './moderation.service.js';

registerEnumType(ModerationMode, {
  name: 'ModerationMode',
  valuesMap: {
    OFF: { description: 'Publish at once.' },
    FIRST_TIME: { description: "Hold a reader's responses until the author has approved one." },
    ALL: { description: 'Hold every response for the author.' },
  },
});
registerEnumType(ModerationState, {
  name: 'ModerationState',
  valuesMap: {
    HELD: { description: 'Awaiting review: only its writer and the author see it.' },
    PUBLISHED: { description: 'Out in the conversation.' },
    REJECTED: { description: 'Turned down: only its writer and the author see it.' },
  },
});
registerEnumType(HeldReason, { name: 'HeldReason' });

@ObjectType('ModerationSettings')
export class ModerationSettingsModel {
  @Field(() => ID, { nullable: true, description: 'The essay these apply to; null: global.' })
  essayId: string | null;

  @Field({
    description: 'For an essay: whether it has its own settings rather than the global ones.',
  })
  overridden: boolean;

  @Field(() => ModerationMode)
  mode: ModerationMode;

  @Field(() => [String], {
    description: 'Words or phrases that hold a response (whole words, case and accents ignored).',
  })
  blockedTerms: string[];

  @Field(() => Int, { nullable: true, description: 'More links than this holds a response.' })
  maxLinks: number | null;

  static from(view: SettingsView): ModerationSettingsModel {
    return Object.assign(new ModerationSettingsModel(), view);
  }
}

@ObjectType('ReaderBan')
export class ReaderBanModel {
  @Field(() => ID)
  userId: string;

  @Field()
  reason: string;

  @Field({ description: 'Their earlier responses are hidden from everyone but the author.' })
  hideExisting: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  static from(ban: ReaderBanEntity): ReaderBanModel {
    return Object.assign(new ReaderBanModel(), {
      userId: ban.userId,
      reason: ban.reason,
      hideExisting: ban.hideExisting,
      createdAt: ban.createdAt,
    });
  }
}

registerEnumType(ReportReason, { name: 'ReportReason' });
registerEnumType(ReportStatus, { name: 'ReportStatus' });
registerEnumType(ReportAction, {
  name: 'ReportAction',
  valuesMap: {
    DISMISS: { description: 'Leave the response up (back up, if reports held it).' },
    HIDE: { description: 'Reject the response: only its writer and the author see it.' },
  },
});

/** A report, for the author. Who reported is never part of it. */
@ObjectType('Report')
export class ReportModel {
  @Field(() => ID)
  id: string;

  @Field(() => ReportReason)
  reason: ReportReason;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  resolvedAt: Date | null;

  entity: ReportEntity;

  static from(entity: ReportEntity): ReportModel {
    return Object.assign(new ReportModel(), {
      id: entity.id,
      reason: entity.reason,
      note: entity.note,
      status: entity.status,
      createdAt: entity.createdAt,
      resolvedAt: entity.resolvedAt,
      entity,
    });
  }
}

@ObjectType()
export class ReportConnection extends ConnectionType(ReportModel) {}
