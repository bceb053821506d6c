// Full-text search in a list's order (R3, or newest first) with the list's filters: which plan a
// word's frequency and the filters call for (TicketSearch.page), shared with TicketQueries.list.
import type { DataSource } from 'typeorm';
import type { TicketRow } from './rows';

/**
 * Up to which share of all requests a search's estimated matches go to the full-text index first.
 * PostgreSQL keeps statistics of the frequent words only and estimates every other word at half
 * the rarest of those (at a million requests: ~1,100 per word, ~2,300 for both configurations).
 * A table never analysed has no count (-1): every word is taken for rare there.
 */
const SEARCH_RARE_SHARE = 0.01;
/** How search finds a page (see TicketSearch.page): the rows of a list tested first… */
export const SEARCH_PROBE = 1_000;
/** …the matches among them that make the list worth walking… */
const SEARCH_FREQUENT = 5;
/** …and up to how many matches are sorted rather than walking the list's order. */
export const SEARCH_SORT_CAP = 2_000;

/** The critical requests, by the rank the list indexes start with, and by name (see sortedOrWalk). */
const CRITICAL = 't.priority_rank = 0';
const CRITICAL_BY_NAME = `t.priority = 'critical'`;

export type ListRow = TicketRow & { priority_rank: number; cursor_at: string };
export type Select = (from: string, conditions: string[], extraColumns?: string) => string;
/** A condition tested on each row a plan reads: coalesce() is no index condition. */
const tested = (condition: string) => `coalesce(${condition}, false)`;

/** Both configurations: Russian words in any form, and codes/versions kept whole. */
export const tsQuery = (param: string) => `(websearch_to_tsquery('russian', ${param}) || websearch_to_tsquery('simple', ${param}))`;

/**
 * The agent-word index's condition: the requests where the agent is an assignee and the word (either
 * configuration's lexeme of it) is in the text. Its keys are hashes of (agent, lexeme) pairs
 * (ticket_agent_words in the migrations): a key may stand for more than one pair, so the agent
 * and the match are still tested on each request found; a collision costs a row read, never a
 * wrong match.
 */
const agentWords = (w: { q: string; agent: string }) =>
  `ticket_agent_words(t.assignees, t.search) && ticket_agent_words(ARRAY[${w.agent}::uuid], to_tsvector('russian', ${w.q}) || to_tsvector('simple', ${w.q}))`;

export interface SearchPlan {
  /** What was typed. */
  q: string;
  order: string;
  /** The page size + 1, and the parameter holding it. */
  size: number;
  limit: string;
  select: Select;
  args: unknown[];
  arg: (v: unknown) => string;
  /** The list is in R3 order over every priority: its first rows are the critical requests. */
  fromCritical: boolean;
  /** The agent filter's condition, if any. */
  agent: string | null;
  /**
   * With the agent filter, when the match is the text's words alone: the parameters of the text
   * and the agent, for the agent-word index (agentWords).
   */
  words: { q: string; agent: string } | null;
  /** The critical requests only (the priority filter). */
  criticalOnly: boolean;
}

export class TicketSearch {
  constructor(private readonly ds: DataSource) {}

  /**
   * A search's page in list order, reading neither every match of a common word nor the whole
   * list for a rare one (no index keeps full-text matches in list order: RUM is not in stock
   * PostgreSQL). Words the statistics call rare: the full-text index finds the matches and, up to
   * SEARCH_SORT_CAP of them, they are sorted. Others: the list's first SEARCH_PROBE rows are tested,
   * where a common word fills its page; else the list's order is walked and each request tested
   * until a page is full, unless filters met the word only a few times in the probe (then their
   * bitmaps and the word's find the matches, sorted up to the cap as above). Few or none among the
   * critical requests that open an R3 list: theirs are sorted, the rest searched from the high on.
   */
  async page(where: string[], match: string, p: SearchPlan): Promise<ListRow[]> {
    // The planner's estimate of the text's matches (from the words' statistics): words it knows to
    // be rare skip the probe, which would read a thousand requests for nothing.
    // Beside it, whether the text is one word (a lexeme in each configuration, or only in `simple`
    // for a stop word): only then does the agent-word index stand for the agent and the match.
    const [[{ 'QUERY PLAN': [estimate] }], [{ total, single }]] = await Promise.all([
      this.ds.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ticket t WHERE t.search @@ ${tsQuery('$1')}`, [p.q]),
      this.ds.query(
        `SELECT reltuples AS total, numnode(websearch_to_tsquery('russian', $1)) <= 1 AND numnode(websearch_to_tsquery('simple', $1)) = 1 AS single
           FROM pg_class WHERE oid = 'ticket'::regclass`,
        [p.q],
      ),
    ]);
    const plan = single ? p : { ...p, words: null };
    if (estimate.Plan['Plan Rows'] <= SEARCH_RARE_SHARE * total) return this.sortedOrWalk(where, match, plan, true);
    return this.searchCommon(where, match, plan);
  }

  /** A common word: the list's first rows tested, then the plan their matches call for. */
  private async searchCommon(where: string[], match: string, p: SearchPlan): Promise<ListRow[]> {
    // Up to SEARCH_PROBE rows tested, stopping as soon as they hold a page of matches (a common
    // word's page is often in the first hundred); their last row comes back hit or not: the list
    // had that many.
    const budget = Math.max(p.size, SEARCH_PROBE);
    const probe: { id: string; hit: boolean; n: string }[] = await this.ds.query(
      `SELECT p.id, p.hit, p.n FROM (SELECT t.id, ${tested(match)} AS hit, row_number() OVER (ORDER BY ${p.order}) AS n
          FROM ticket t ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${p.order} LIMIT ${budget}) p
        WHERE p.hit OR p.n = ${budget} LIMIT ${p.limit}`,
      p.args,
    );
    const found = probe.filter((r) => r.hit).map((r) => r.id);
    const full = Number(probe[probe.length - 1]?.n) === budget;
    // Few or none among the first rows in R3 order (the critical requests first): the critical
    // matches are found by the indexes and sorted — few, and the critical indexes make the filters'
    // bitmaps small (an agent's among all requests is a third of them) — and the list is searched
    // from the high ones on for the rest, rather than walked through every critical request first.
    if (found.length < SEARCH_FREQUENT && p.fromCritical && full && budget === SEARCH_PROBE) {
      const critical = await this.sortedOrWalk([...where, CRITICAL], match, p, false);
      if (critical.length >= p.size) return critical;
      const rest = await this.searchCommon([...where, 't.priority_rank > 0'], match, { ...p, fromCritical: false });
      return [...critical, ...rest].slice(0, p.size);
    }
    if (found.length >= p.size || !full) {
      if (!found.length) return [];
      const ids = `t.id = ANY(${p.arg(found.slice(0, p.size))}::uuid[])`;
      return this.ds.query(p.select('ticket t', [...where, match, ids]), p.args);
    }
    // A common word with no filter has more matches than are sorted: no use finding them all first.
    if (found.length >= SEARCH_FREQUENT || !where.length) return this.walk(where, match, p);
    // A common word and filters it rarely meets: their indexes' bitmaps ANDed find the few (an
    // agent's with the word: ticket_assignees_search_idx has both).
    return this.sortedOrWalk(where, match, p, false);
  }

  /** Each request of the list in its order tested until a page is full. */
  private walk(where: string[], match: string, p: SearchPlan): Promise<ListRow[]> {
    return this.ds.query(p.select('ticket t', [...where, tested(match)]), p.args);
  }

  /** The matches found by the indexes and sorted, up to SEARCH_SORT_CAP; the walk beyond that. */
  private async sortedOrWalk(where: string[], match: string, p: SearchPlan, rare: boolean): Promise<ListRow[]> {
    // The matches through bitmap scans only: an index walk in list order here would be the very walk
    // a rare word must not take. A rare word's few matches have the filters tested on each (in
    // coalesce()) rather than ANDed with a whole status's or agent's bitmap; a common word's are
    // ANDed. The window counts them (up to the cap + 1) before the page is cut; the outer select
    // reads only the page's.
    // With an agent, the agent's and the word's bitmap come from their joint index and the other
    // filters are tested on each match: the planner takes agent and word for independent, so it
    // would AND a status's or a priority's bitmap (120,000 high requests) to theirs, or the agent's
    // to a status's and read 20,000 requests to test the word. The critical ones have their part
    // of that index, by `priority` (no other index has it, so the planner takes that one).
    // Beyond the critical ones, one word and an agent come from the agent-word index: its entries
    // are (agent, word) pairs, so it finds the agent's requests with the word without reading the
    // agent's entries in the joint index (333,000 for an agent with a third of all requests: 7 ms
    // before the first match, against a tenth of a millisecond here).
    const joint = !rare && p.agent !== null && where.includes(p.agent);
    const critical = joint && (p.criticalOnly || where.includes(CRITICAL));
    const byAgentWord = joint && !critical && p.words !== null;
    const filters = rare || byAgentWord ? where.map(tested) : joint ? [...where.map((c) => (c === p.agent ? c : tested(c))), ...(critical ? [CRITICAL_BY_NAME] : [])] : where;
    const conditions = byAgentWord ? [...filters, agentWords(p.words!), tested(match)] : [...filters, match];
    const bitmap = `(SELECT t.*, count(*) OVER () AS found
        FROM (SELECT * FROM ticket t WHERE ${conditions.join(' AND ')} LIMIT ${SEARCH_SORT_CAP + 1}) t
        ORDER BY ${p.order} LIMIT ${p.limit}) t`;
    const sorted: (ListRow & { found: string })[] = await this.viaBitmaps(p.select(bitmap, [], ', t.found'), p.args);
    return !sorted.length || Number(sorted[0].found) <= SEARCH_SORT_CAP ? sorted : this.walk(where, match, p);
  }

  /**
   * A query run with bitmap scans only: with a LIMIT, the planner would rather walk an index in
   * list order and test each row, the very walk these queries are there to avoid.
   */
  private viaBitmaps<T>(sql: string, args: unknown[]): Promise<T[]> {
    return this.ds.transaction(async (m) => {
      // The disabled plans' penalty makes every cost huge, which would have this query JIT-compiled
      // (seconds of compiling for a millisecond's work). One round trip for the four settings.
      await m.query(
        `SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true),
           set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`,
      );
      return m.query(sql, args);
    });
  }

  /** The contacts and organisations whose name has the text (or whose INN it is), 100 of each at most. */
  async namedIn(text: string): Promise<{ contacts: string[]; organisations: string[] }> {
    const name = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const [named]: { contacts: string[]; organisations: string[] }[] = await this.ds.query(
      `SELECT ARRAY(SELECT id FROM contact WHERE name ILIKE $1 LIMIT 100) AS contacts,
         ARRAY(SELECT id FROM organisation WHERE name ILIKE $1 OR inn = $2 LIMIT 100) AS organisations`,
      [name, text],
    );
    return named;
  }
}
