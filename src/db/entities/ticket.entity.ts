import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'ticket' })
export class TicketEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text', nullable: true }) number: string | null;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'text' }) priority: string;
  @Column({ type: 'text' }) channel: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'text' }) description: string;
  @Column({ name: 'technical_details', type: 'text' }) technicalDetails: string;
  @Column({ type: 'text', nullable: true }) solution: string | null;
  @Column({ name: 'caller_number', type: 'text', nullable: true }) callerNumber: string | null;
  @Column({ type: 'uuid', array: true }) assignees: string[];
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId: string | null;
  @Column({ name: 'origin_call_id', type: 'uuid', nullable: true }) originCallId: string | null;
  @Column({ name: 'callback_needed', type: 'boolean' }) callbackNeeded: boolean;
  @Column({ name: 'number_told', type: 'boolean' }) numberTold: boolean;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true }) registeredAt: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'close_reason', type: 'text', nullable: true }) closeReason: string | null;
  @Column({ name: 'discard_reason', type: 'text', nullable: true }) discardReason: string | null;
  @Column({ name: 'auto_close_at', type: 'timestamptz', nullable: true }) autoCloseAt: Date | null;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
