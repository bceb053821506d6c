import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'ticket_call' })
export class TicketCallEntity {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' }) ticketId: string;
  @PrimaryColumn({ name: 'call_id', type: 'uuid' }) callId: string;
  @Column({ name: 'linked_at', type: 'timestamptz' }) linkedAt: Date;
}
