// The query benchmark's data: N calls and N requests (one draft/request per call, linked) with the
// requests' journal of status changes (what the request report counts), spread over two years, built once per size with set-based SQL (generate_series) and kept between runs.
// Shaped like a help desk after years of use, not like an even spread: 89 % of requests closed, one
// agent (SEED_BUSY_AGENT) on a third of all calls and requests, every priority and channel, and
// words of every frequency (SEED_WORDS).
// The schema comes from the product's migrations; a marker row says the seed is complete.
import pg from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { runMigrations } from '../../src/db/migrate';
import { createAgents } from './agents';
import type { BenchDatabaseServer } from './database';

/** Bump when the seed's shape changes: an older seed is rebuilt. */
const SEED_VERSION = 4;
export const SEED_AGENTS = 200;
/** The seeded calls start here and are spread evenly over two years. */
export const SEED_START = Date.parse('2024-01-01T00:00:00Z');
export const SEED_SPAN_MS = 2 * 365 * 86_400_000;

export interface SeedInfo {
  database: string;
  url: string;
  rows: number;
  builtNow: boolean;
  buildMs: number;
}

/** The agent (by extension order, 1-based) who answers every third call and owns its request. */
export const SEED_BUSY_AGENT = 1;

/** Words the search cases look for, by how many requests contain them. */
export const SEED_WORDS = {
  /** In exactly one request: request g's serial number. */
  once: (g: number) => `SN${g}`,
  /** In one request of six (technical details). */
  oneInSix: 'ORA-01017',
  /** In ~50 requests each: the other error codes (ORA-00000…ORA-19999). */
  rareCode: (i: number) => `ORA-${String(i % 20_000).padStart(5, '0')}`,
  /** In one request of twelve or more (subjects, phrases, modules). */
  common: ['обновлений', 'банком', 'печати', 'склада', 'лицензии', 'пользователи'],
};

/** Whether seeded request g has a journal number (it is neither a draft nor discarded). */
export function seedRegistered(g: number): boolean {
  const bucket = (g * 16807) % 100;
  return bucket < 89 || (bucket >= 92 && bucket < 98);
}

/** The i-th seeded caller: 300,000 distinct numbers, a few calls each. */
export function seedCaller(i: number): string {
  return `+79${String((i * 7919) % 300_000).padStart(9, '0')}`;
}

const SUBJECTS = [
  'Не запускается программа после обновления',
  'Ошибка при печати отчёта',
  'Не проходит обмен с банком',
  'Зависает при сохранении документа',
  'Не открывается база данных',
  'Ошибка лицензии на рабочем месте',
  'Медленно работает поиск по складу',
  'Не приходят уведомления о заказах',
  'Сбой обновления конфигурации',
  'Не формируется счёт-фактура',
  'Пропали права пользователя',
  'Неверно считается зарплата',
];
const PHRASES = [
  'Клиент сообщает, что ошибка повторяется каждый день',
  'Пользователи не могут войти в систему с утра',
  'После перезагрузки сервера проблема осталась',
  'Проблема возникла после установки обновлений',
  'Бухгалтерия не может закрыть месяц',
  'Ошибку видят все пользователи филиала',
  'Работа склада остановлена',
];
const MODULES = ['Склад', 'Бухгалтерия', 'Зарплата', 'Банк', 'Отчёты', 'Обмен', 'Лицензии', 'Печать'];

const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ')}]`;

function seedSql(rows: number, from: number, to: number): string[] {
  const step = SEED_SPAN_MS / 1000 / rows;
  const base = new Date(SEED_START).toISOString();
  // One lateral row of derived values per g, shared by calls and requests.
  const derived = `
    LATERAL (SELECT
      timestamptz '${base}' + (g * ${step}) * interval '1 second' AS started,
      CASE WHEN g % 3 = 0 THEN ${SEED_BUSY_AGENT} ELSE 1 + ((g::bigint * 48271) % 65521) % ${SEED_AGENTS} END AS ai,
      1 + (((g::bigint * 48271) % 65521) + 1) % ${SEED_AGENTS} AS ai2,
      ((g::bigint * 104729) % 1000003) % 6 = 0 AS missed,
      ((g::bigint * 16807) % 100)::int AS bucket,
      ((g::bigint * 69621) % 50)::int AS prio,
      CASE WHEN g % 50 = 0 THEN NULL ELSE '+79' || lpad(((g::bigint * 7919) % 300000)::text, 9, '0') END AS caller
    ) d`;
  const agents = `(SELECT array_agg(id ORDER BY extension::int) AS ids, array_agg(extension ORDER BY extension::int) AS exts
                     FROM agent WHERE role = 'agent' AND extension IS NOT NULL) a`;
  return [
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, caller_name, did,
       called_number, queue, started_at, answered_at, ended_at, outcome, answered_by_extension, answered_by, owner_extension,
       after_hours, gap, hangup_cause, legs, agent_ids, updated_at)
     SELECT md5('call-' || g)::uuid, 'main', (1704067200 + g)::text || '.' || g,
       CASE WHEN g % 20 = 0 THEN 'outbound' ELSE 'inbound' END,
       g % 20 <> 0 AND g % 9 <> 0,
       d.caller, d.caller, NULL,
       CASE WHEN g % 20 = 0 THEN NULL WHEN g % 9 = 0 THEN '+78120000000' ELSE '+79219416004' END,
       CASE WHEN g % 20 = 0 THEN d.caller END,
       CASE WHEN g % 4 = 0 THEN 'support' END,
       d.started,
       CASE WHEN NOT d.missed THEN d.started + interval '6 seconds' END,
       d.started + (30 + g % 600) * interval '1 second',
       CASE WHEN d.missed THEN 'missed' ELSE 'answered' END,
       CASE WHEN NOT d.missed THEN a.exts[d.ai] END,
       CASE WHEN NOT d.missed THEN a.ids[d.ai] END,
       CASE WHEN NOT d.missed THEN a.exts[d.ai] END,
       extract(hour FROM d.started AT TIME ZONE 'Europe/Moscow') NOT BETWEEN 8 AND 19,
       false, '16',
       CASE WHEN d.missed THEN jsonb_build_array(
              jsonb_build_object('extension', a.exts[d.ai], 'agentId', a.ids[d.ai], 'ringAt', d.started, 'answeredAt', NULL,
                                 'endedAt', d.started + interval '20 seconds', 'endReason', 'caller_gone'),
              jsonb_build_object('extension', a.exts[d.ai2], 'agentId', a.ids[d.ai2], 'ringAt', d.started, 'answeredAt', NULL,
                                 'endedAt', d.started + interval '20 seconds', 'endReason', 'caller_gone'))
            ELSE jsonb_build_array(
              jsonb_build_object('extension', a.exts[d.ai], 'agentId', a.ids[d.ai], 'ringAt', d.started,
                                 'answeredAt', d.started + interval '6 seconds',
                                 'endedAt', d.started + (30 + g % 600) * interval '1 second', 'endReason', 'answered'))
       END,
       CASE WHEN d.missed THEN ARRAY[a.ids[d.ai], a.ids[d.ai2]] ELSE ARRAY[a.ids[d.ai]] END,
       d.started
     FROM generate_series(${from}, ${to}) g, ${agents}, ${derived}`,
    `INSERT INTO ticket (id, number, status, priority, channel, subject, description, technical_details, solution,
       caller_number, assignees, origin_call_id, callback_needed, number_told, created_at, registered_at, completed_at,
       closed_at, close_reason, discard_reason, product_version, fixed_in, version, updated_at)
     SELECT md5('ticket-' || g)::uuid,
       CASE WHEN s.st NOT IN ('draft', 'discarded')
            THEN to_char(d.started AT TIME ZONE 'Europe/Moscow', 'YYYY') || '-' || CASE WHEN g < 1000000 THEN lpad(g::text, 6, '0') ELSE g::text END END,
       s.st,
       CASE WHEN d.prio = 0 THEN 'critical' WHEN d.prio < 7 THEN 'high' WHEN d.prio < 42 THEN 'normal' ELSE 'low' END,
       -- By g / 100, not g: the statuses are a function of g % 100.
       CASE WHEN g / 100 % 20 = 0 THEN 'email' WHEN g / 100 % 50 = 1 THEN 'web' WHEN g / 100 % 100 = 3 THEN 'in_person' WHEN g / 100 % 200 = 7 THEN 'other' ELSE 'phone' END,
       (${sqlArray(SUBJECTS)})[1 + g % ${SUBJECTS.length}],
       (${sqlArray(SUBJECTS)})[1 + g % ${SUBJECTS.length}] || '. ' || (${sqlArray(PHRASES)})[1 + (g / ${SUBJECTS.length}) % ${PHRASES.length}] || ', рабочее место WS-' || (g % 500) || ', серийный номер SN' || g,
       'версия 5.' || (g % 9) || '.' || (g % 13) || ', модуль ' || (${sqlArray(MODULES)})[1 + g % ${MODULES.length}]
         || ', ошибка ' || CASE WHEN g % 6 = 0 THEN 'ORA-01017' ELSE 'ORA-' || lpad(((g::bigint * 7877) % 20011 % 20000)::text, 5, '0') END,
       CASE WHEN s.st IN ('completed', 'closed') THEN 'Переустановлен компонент, проверено с клиентом' END,
       d.caller,
       -- Drafts of missed calls and some e-mailed requests have no owner yet («Неразобранные»).
      CASE WHEN s.st IN ('draft', 'discarded') AND d.missed OR s.st = 'registered' AND g / 100 % 20 = 0 AND g % 3 <> 0 THEN '{}'::uuid[] ELSE ARRAY[a.ids[d.ai]] END,
       md5('call-' || g)::uuid,
       s.st = 'draft' AND d.missed,
       s.st NOT IN ('draft', 'discarded'),
       d.started,
       CASE WHEN s.st NOT IN ('draft', 'discarded') THEN d.started + interval '3 minutes' END,
       CASE WHEN s.st IN ('completed', 'closed') THEN d.started + interval '2 days' END,
       CASE WHEN s.st IN ('closed', 'discarded') THEN d.started + interval '9 days' END,
       CASE WHEN s.st = 'closed' THEN (ARRAY['confirmed', 'no_reply', 'withdrawn'])[1 + g % 3] END,
       CASE WHEN s.st = 'discarded' THEN (ARRAY['wrong_number', 'duplicate', 'callback_done'])[1 + g % 3] END,
       CASE WHEN g % 3 = 1 THEN '5.' || (g % 9) ELSE '' END,
       CASE WHEN g % 3 = 1 AND s.st IN ('completed', 'closed') AND g % 4 = 0 THEN '5.' || (g % 9 + 1) ELSE '' END,
       1, d.started
     FROM generate_series(${from}, ${to}) g, ${agents}, ${derived},
       LATERAL (SELECT CASE WHEN d.bucket < 89 THEN 'closed' WHEN d.bucket < 92 THEN 'discarded' WHEN d.bucket < 94 THEN 'completed'
                            WHEN d.bucket < 96 THEN 'in_progress' WHEN d.bucket < 98 THEN 'registered' ELSE 'draft' END AS st) s`,
    // The journal entries the request report counts, as the lifecycle writes them: registered, taken
    // into work, completed, closed (with its reason) or discarded, at the request's own times.
    `INSERT INTO ticket_events (ticket_id, at, kind, data)
     SELECT t.id, e.at, e.kind, e.data
       FROM ticket t CROSS JOIN LATERAL (VALUES
         (t.registered_at, 'registered', jsonb_build_object('number', t.number, 'priority', t.priority, 'channel', t.channel)),
         (CASE WHEN t.status IN ('in_progress', 'completed', 'closed') THEN t.registered_at + interval '10 minutes' END, 'status_changed',
          jsonb_build_object('from', 'registered', 'to', 'in_progress')),
         (t.completed_at, 'status_changed', jsonb_build_object('from', 'in_progress', 'to', 'completed')),
         (CASE WHEN t.status = 'closed' THEN t.closed_at END, 'status_changed',
          jsonb_build_object('from', CASE WHEN t.completed_at IS NULL THEN 'in_progress' ELSE 'completed' END, 'to', 'closed', 'closeReason', t.close_reason)),
         (CASE WHEN t.status = 'discarded' THEN t.closed_at END, 'status_changed',
          jsonb_build_object('from', 'draft', 'to', 'discarded', 'discardReason', t.discard_reason))
       ) e(at, kind, data)
      WHERE t.id IN (SELECT md5('ticket-' || g)::uuid FROM generate_series(${from}, ${to}) g) AND e.at IS NOT NULL`,
    `INSERT INTO ticket_call (ticket_id, call_id, linked_at)
     SELECT md5('ticket-' || g)::uuid, md5('call-' || g)::uuid, timestamptz '${base}' + (g * ${step}) * interval '1 second'
     FROM generate_series(${from}, ${to}) g`,
  ];
}

/** The seed database for `rows` rows: reused when complete, else (re)built. */
export async function ensureSeed(server: BenchDatabaseServer, rows: number, log: (s: string) => void): Promise<SeedInfo> {
  const database = `calldesk_bench_seed_${rows}`;
  const url = server.urlOf(database);
  if (await server.exists(database)) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query(`SELECT rows, version FROM bench_seed WHERE done`).catch(() => ({ rows: [] as { rows: number; version: number }[] }));
      if (r.rows[0]?.rows === rows && r.rows[0]?.version === SEED_VERSION) return { database, url, rows, builtNow: false, buildMs: 0 };
    } finally {
      await c.end();
    }
    await server.drop(database);
  }
  const started = performance.now();
  log(`seeding ${rows.toLocaleString('en-US')} calls and requests into ${database} (once; reused by later runs)`);
  await server.create(database);
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
  await createAgents(url, SEED_AGENTS, 1, 'seed');
  const conns = await Promise.all(
    [0, 1].map(async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      // A bulk load, not traffic: its own transactions need not wait for the disk.
      await c.query(`SET synchronous_commit = off`);
      await c.query(`SET maintenance_work_mem = '256MB'`);
      return c;
    }),
  );
  const [c] = conns;
  try {
    // Indexes are built once after the load (much faster than maintained row by row); their
    // definitions are the migrations' own, read back from the catalog.
    const indexes: { name: string; def: string }[] = (
      await c.query(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
          WHERE t.relname IN ('call', 'ticket', 'ticket_call', 'ticket_events', 'ticket_assignee')
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      )
    ).rows;
    for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
    // Foreign keys likewise: checked row by row they lock every referenced row; re-added, they are
    // validated by one join.
    const fks: { table: string; name: string; def: string }[] = (
      await c.query(
        `SELECT k.conrelid::regclass::text AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def
           FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
          WHERE k.contype = 'f' AND t.relname IN ('call', 'ticket', 'ticket_call', 'ticket_events', 'ticket_assignee')`,
      )
    ).rows;
    for (const fk of fks) await c.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    const half = Math.floor(rows / 2);
    const parts = [seedSql(rows, 1, half), seedSql(rows, half + 1, rows)];
    for (let k = 0; k < parts[0].length; k++) {
      const t = performance.now();
      await Promise.all(conns.map((cn, i) => cn.query(parts[i][k])));
      log(`  ${parts[0][k].trim().split(/\s+/).slice(0, 3).join(' ')}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const t = performance.now();
    let next = 0;
    await Promise.all(
      conns.map(async (cn) => {
        while (next < indexes.length) await cn.query(indexes[next++].def);
      }),
    );
    for (const fk of fks) await c.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def}`);
    log(`  ${indexes.length} indexes and ${fks.length} foreign keys: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await Promise.all([c.query(`VACUUM ANALYZE call`), conns[1].query(`VACUUM ANALYZE ticket`)]);
    await Promise.all([c.query(`VACUUM ANALYZE ticket_call`), conns[1].query(`VACUUM ANALYZE ticket_events`)]);
    // ticket_assignee is written by a trigger as requests are inserted; vacuumed for index-only counts.
    await c.query(`VACUUM ANALYZE ticket_assignee`);
    await c.query(`CREATE TABLE bench_seed (rows integer NOT NULL, version integer NOT NULL, done boolean NOT NULL, built_at timestamptz NOT NULL DEFAULT now())`);
    await c.query(`INSERT INTO bench_seed (rows, version, done) VALUES ($1, $2, true)`, [rows, SEED_VERSION]);
  } finally {
    await Promise.all(conns.map((cn) => cn.end()));
  }
  return { database, url, rows, builtNow: true, buildMs: performance.now() - started };
}
