import type { MigrationInterface, QueryRunner } from 'typeorm';

// Hourly pre-aggregates for the supervisors' reports (src/db/report-aggregates.ts): a month of a
// million calls read call by call took over half a second; summed from hours it takes milliseconds.
// - call_figures_hourly / call_agent_hourly / ticket_figures_hourly: the hours (UTC) older than two
//   days, summed by what the reports group and filter by; report_coverage says up to where they hold
//   and for which thresholds.
// - report_dirty_hour: an hour whose rows changed after it was summed. Calls, requests and journal
//   entries younger than two days are never summed (reports read them as they are), so the triggers'
//   WHEN conditions are false on the ingest's hot path and cost no function call there.
//   No unique key: a marker written while the hour is being re-summed must survive that re-sum.
const TRIGGERS: [table: string, fn: string, name: string, event: string, when: string][] = [
  ['call', 'report_mark_call_hour', 'call_report_insert', 'INSERT', `NEW.started_at < now() - interval '2 days'`],
  ['call', 'report_mark_call_hour', 'call_report_update', 'UPDATE', `OLD.started_at < now() - interval '2 days' OR NEW.started_at < now() - interval '2 days'`],
  ['call', 'report_mark_call_hour', 'call_report_delete', 'DELETE', `OLD.started_at < now() - interval '2 days'`],
  ['ticket', 'report_mark_ticket_hours', 'ticket_report_insert', 'INSERT', `NEW.created_at < now() - interval '2 days'`],
  [
    'ticket',
    'report_mark_ticket_hours',
    'ticket_report_update',
    'UPDATE',
    `(OLD.created_at < now() - interval '2 days' OR NEW.created_at < now() - interval '2 days')
      AND (OLD.priority IS DISTINCT FROM NEW.priority OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.created_at IS DISTINCT FROM NEW.created_at)`,
  ],
  ['ticket', 'report_mark_ticket_hours', 'ticket_report_delete', 'DELETE', `OLD.created_at < now() - interval '2 days'`],
  ['ticket_events', 'report_mark_event_hour', 'ticket_events_report_insert', 'INSERT', `NEW.at < now() - interval '2 days'`],
  ['ticket_events', 'report_mark_event_hour', 'ticket_events_report_update', 'UPDATE', `OLD.at < now() - interval '2 days' OR NEW.at < now() - interval '2 days'`],
  ['ticket_events', 'report_mark_event_hour', 'ticket_events_report_delete', 'DELETE', `OLD.at < now() - interval '2 days'`],
];

const HOUR = (col: string) => `date_trunc('hour', ${col}, 'UTC')`;

/** A row trigger's function marking the hour of the row's `column`, before and after the change. */
const markHour = (fn: string, column: string) => `
  CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP <> 'INSERT' THEN INSERT INTO report_dirty_hour VALUES (${HOUR(`OLD.${column}`)}); END IF;
    IF TG_OP <> 'DELETE' THEN INSERT INTO report_dirty_hour VALUES (${HOUR(`NEW.${column}`)}); END IF;
    RETURN NULL;
  END $$`;

export class CreateReportAggregates1796501000000 implements MigrationInterface {
  name = 'CreateReportAggregates1796501000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE call_figures_hourly (
        hour timestamptz NOT NULL,
        after_hours boolean NOT NULL,
        calls int NOT NULL, answered int NOT NULL, missed int NOT NULL, abandoned int NOT NULL,
        short_abandoned int NOT NULL, answered_in_time int NOT NULL,
        wait_sum float8, handle_sum float8, handled int NOT NULL,
        PRIMARY KEY (hour, after_hours))`);
    await q.query(`
      CREATE TABLE call_agent_hourly (
        hour timestamptz NOT NULL,
        after_hours boolean NOT NULL,
        agent_id uuid NOT NULL,
        answered int NOT NULL, wait_sum float8, handle_sum float8, handled int NOT NULL,
        rang int NOT NULL, unanswered int NOT NULL,
        PRIMARY KEY (hour, after_hours, agent_id))`);
    await q.query(`
      CREATE TABLE ticket_figures_hourly (
        hour timestamptz NOT NULL,
        priority text NOT NULL,
        channel text NOT NULL,
        measure text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (hour, priority, channel, measure))`);
    // The same by UTC day (days wholly summed): the backlog at a period's end adds up every
    // registration and closing before it, a few rows a day instead of a few an hour.
    await q.query(`
      CREATE TABLE ticket_figures_daily (
        day timestamptz NOT NULL,
        priority text NOT NULL,
        channel text NOT NULL,
        measure text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (measure, day, priority, channel))`);
    await q.query(`CREATE TABLE report_coverage (id int PRIMARY KEY CHECK (id = 1), covered_until timestamptz, settings jsonb NOT NULL)`);
    await q.query(`CREATE TABLE report_dirty_hour (hour timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX report_dirty_hour_idx ON report_dirty_hour (hour)`);
    for (const [fn, column] of [['report_mark_call_hour', 'started_at'], ['report_mark_event_hour', 'at']]) await q.query(markHour(fn, column));
    // A request's priority or channel is a dimension of its creation and of every journal entry counted.
    await q.query(`
      CREATE FUNCTION report_mark_ticket_hours() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
        IF TG_OP <> 'INSERT' THEN INSERT INTO report_dirty_hour VALUES (${HOUR('OLD.created_at')}); END IF;
        INSERT INTO report_dirty_hour VALUES (${HOUR('r.created_at')});
        INSERT INTO report_dirty_hour
          SELECT DISTINCT ${HOUR('e.at')} FROM ticket_events e
           WHERE e.ticket_id = r.id AND e.kind IN ('registered', 'status_changed');
        RETURN NULL;
      END $$`);
    for (const [table, fn, name, event, when] of TRIGGERS) {
      await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${fn}()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, , name] of TRIGGERS) await q.query(`DROP TRIGGER ${name} ON ${table}`);
    await q.query(`DROP FUNCTION report_mark_call_hour(), report_mark_event_hour(), report_mark_ticket_hours()`);
    await q.query(`DROP TABLE report_dirty_hour, report_coverage, ticket_figures_daily, ticket_figures_hourly, call_agent_hourly, call_figures_hourly`);
  }
}
