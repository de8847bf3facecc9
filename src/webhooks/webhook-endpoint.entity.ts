import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An endpoint WEBHOOK_URL has named, and since when: the relay sends it the
 * events recorded from then on, not the whole history before it was added.
 */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'text' })
  url: string;

  @Column({ name: 'added_at', type: 'timestamptz', default: () => 'now()' })
  addedAt: Date;

  /**
   * The relay's cursor: the last outbox event (in `events.tx_id`, `id` order)
   * it has turned into a delivery for this endpoint, or passed over. Moved in
   * the pass's transaction, with the row locked, so two relays never share it.
   */
  @Column({ name: 'relayed_tx_id', type: 'bigint', default: 0 })
  relayedTxId: string;

  @Column({
    name: 'relayed_event_id',
    type: 'uuid',
    default: () => "'00000000-0000-0000-0000-000000000000'",
  })
  relayedEventId: string;
}
