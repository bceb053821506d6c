// The TypeORM DataSource: PostgreSQL through `pg`, entities listed explicitly, migrations from
// migrations/index.ts, never `synchronize`.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { AgentEntity } from './entities/agent.entity';
import { CallEntity } from './entities/call.entity';
import { SessionEntity } from './entities/session.entity';
import { TicketCallEntity } from './entities/ticket-call.entity';
import { TicketEventEntity } from './entities/ticket-event.entity';
import { TicketEntity } from './entities/ticket.entity';

export const entities = [AgentEntity, SessionEntity, CallEntity, TicketEntity, TicketEventEntity, TicketCallEntity];

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize, application_name: 'calldesk' },
  });
}
