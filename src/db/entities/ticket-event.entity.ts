import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One journal entry (R6). The table refuses UPDATE and DELETE (a trigger), so this is insert-only. */
@Entity({ name: 'ticket_events' })
export class TicketEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'ticket_id', type: 'uuid' }) ticketId: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'uuid', nullable: true }) actor: string | null;
  @Column({ name: 'on_behalf_of', type: 'text', nullable: true }) onBehalfOf: string | null;
  @Column({ name: 'call_id', type: 'uuid', nullable: true }) callId: string | null;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
}
