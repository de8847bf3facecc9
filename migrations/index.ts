// Every migration, in order. A new migration is added here as well as written
// to this folder (`npm run migration:generate -- <name>` prints the line to add).
import { InitialSchema1795712770788 } from './1795712770788-initial-schema.js';
import { AddResponsesAndInterest1795713524444 } from './1795713524444-add-responses-and-interest.js';
import { AddDigests1795714506147 } from './1795714506147-add-digests.js';
import { PromptSourceText1795738622388 } from './1795738622388-prompt-source-text.js';
import { AddSignInCodes1796145471464 } from './1796145471464-add-sign-in-codes.js';
import { AddSessionVersions1796145716332 } from './1796145716332-add-session-versions.js';
import { NeutralDisplayNames1796145959733 } from './1796145959733-neutral-display-names.js';
import { AddSubscriptionManageMail1796146648303 } from './1796146648303-add-subscription-manage-mail.js';
import { RerenderRemoteImages1796146900000 } from './1796146900000-rerender-remote-images.js';
import { AddDeliveryCounts1796147300000 } from './1796147300000-add-delivery-counts.js';
import { AddDeliveryClaims1796147400000 } from './1796147400000-add-delivery-claims.js';
import { AddSafetyEventTypes1796159000000 } from './1796159000000-add-safety-event-types.js';
import { AddModeration1796159015910 } from './1796159015910-add-moderation.js';
import { AddWebhooks1796159001943 } from './1796159001943-add-webhooks.js';
import { MoveNotificationSettings1796159250052 } from './1796159250052-move-notification-settings.js';
import { AddAuditLog1796159625337 } from './1796159625337-add-audit-log.js';
import { AddEssayAuditActions1796171000000 } from './1796171000000-add-essay-audit-actions.js';
import { AddModerationAuditActions1796170000000 } from './1796170000000-add-moderation-audit-actions.js';
import { AddWebhookRelayCursor1796172000000 } from './1796172000000-add-webhook-relay-cursor.js';
import { DigestLedgerUniqueBySubscription1796173000000 } from './1796173000000-digest-ledger-unique-by-subscription.js';

export const migrations = [
  InitialSchema1795712770788,
  AddResponsesAndInterest1795713524444,
  AddDigests1795714506147,
  PromptSourceText1795738622388,
  AddSignInCodes1796145471464,
  AddSessionVersions1796145716332,
  NeutralDisplayNames1796145959733,
  AddSubscriptionManageMail1796146648303,
  RerenderRemoteImages1796146900000,
  AddDeliveryCounts1796147300000,
  AddDeliveryClaims1796147400000,
  AddSafetyEventTypes1796159000000,
  AddWebhooks1796159001943,
  AddModeration1796159015910,
  MoveNotificationSettings1796159250052,
  AddAuditLog1796159625337,
  AddModerationAuditActions1796170000000,
  AddEssayAuditActions1796171000000,
  AddWebhookRelayCursor1796172000000,
  DigestLedgerUniqueBySubscription1796173000000,
];
