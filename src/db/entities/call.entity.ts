import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Direction, LegEndReason, Outcome } from '../../calls/model';

/** A leg as stored (in `call.legs`): the model's leg plus the agent it resolved to. */
export interface StoredLeg {
  extension: string;
  agentId: string | null;
  ringAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: LegEndReason | null;
  /** Reached by call pickup rather than rung (absent otherwise). */
  via?: 'pickup';
}

@Entity({ name: 'call' })
export class CallEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) pbx: string;
  @Column({ type: 'text' }) linkedid: string;
  @Column({ type: 'text' }) direction: Direction;
  @Column({ name: 'support_line', type: 'boolean' }) supportLine: boolean;
  @Column({ name: 'caller_number', type: 'text', nullable: true }) callerNumber: string | null;
  @Column({ name: 'caller_number_raw', type: 'text', nullable: true }) callerNumberRaw: string | null;
  @Column({ name: 'caller_name', type: 'text', nullable: true }) callerName: string | null;
  @Column({ type: 'text', nullable: true }) did: string | null;
  @Column({ name: 'called_number', type: 'text', nullable: true }) calledNumber: string | null;
  @Column({ type: 'text', nullable: true }) queue: string | null;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  @Column({ type: 'text', nullable: true }) outcome: Outcome | null;
  @Column({ name: 'answered_by_extension', type: 'text', nullable: true }) answeredByExtension: string | null;
  @Column({ name: 'answered_by', type: 'uuid', nullable: true }) answeredBy: string | null;
  @Column({ name: 'owner_extension', type: 'text', nullable: true }) ownerExtension: string | null;
  @Column({ name: 'after_hours', type: 'boolean' }) afterHours: boolean;
  @Column({ type: 'boolean' }) gap: boolean;
  @Column({ name: 'hangup_cause', type: 'text', nullable: true }) hangupCause: string | null;
  @Column({ type: 'jsonb' }) legs: StoredLeg[];
  @Column({ name: 'agent_ids', type: 'uuid', array: true }) agentIds: string[];
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
