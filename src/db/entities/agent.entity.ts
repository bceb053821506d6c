import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { Role } from '../../tickets/roles';

@Entity({ name: 'agent' })
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) login: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) role: Role;
  @Column({ type: 'text', nullable: true }) extension: string | null;
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash: string;
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
