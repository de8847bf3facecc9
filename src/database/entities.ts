import { AuditEntryEntity } from '../audit/audit-entry.entity.js';
import { SignInTokenEntity } from '../auth/sign-in-token.entity.js';
import { DigestSubscriptionEntity } from '../digests/digest-subscription.entity.js';
import { NotificationSettingsEntity } from '../digests/notification-settings.entity.js';
import { EventEntity } from '../events/event.entity.js';
import { InterestEntity } from '../interest/interest.entity.js';
import { ResponseEditEntity } from '../responses/response-edit.entity.js';
import { ModerationSettingsEntity } from '../responses/moderation/moderation-settings.entity.js';
import { ReportEntity } from '../responses/moderation/report.entity.js';
import { ResponseEntity } from '../responses/response.entity.js';
import { EssayEntity } from '../essays/essay.entity.js';
import { PromptEntity } from '../essays/prompt.entity.js';
import { DeliveryEntity } from '../mail/delivery.entity.js';
import { ReaderBanEntity } from '../users/reader-ban.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity.js';

/**
 * Every table the platform maps; listed, not globbed, so ESM and Jest load them alike.
 * The app and the migrations CLI's DataSource both use it; entities.spec.ts fails when
 * a `*.entity.ts` under src/ is missing here. The one file of database/ that names features.
 */
export const entities = [
  UserEntity,
  SignInTokenEntity,
  EssayEntity,
  PromptEntity,
  EventEntity,
  DeliveryEntity,
  ResponseEntity,
  ResponseEditEntity,
  ModerationSettingsEntity,
  ReportEntity,
  ReaderBanEntity,
  InterestEntity,
  DigestSubscriptionEntity,
  NotificationSettingsEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  AuditEntryEntity,
];
