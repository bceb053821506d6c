// Real headless Chromium for the panel's tests (Debian's `chromium` through playwright-core), the
// service with a replaying AMI peer behind it, and the small steps every panel test takes.
// Without the browser the tests fail, saying how to install it: a skipped panel test would pass
// unnoticed.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadScenario, scenarioFrames, type AmiFields, type AmiFrame } from './scenarios';

/**
 * Where screenshot() writes: test-output/screenshots (git-ignored), or SCREENSHOT_DIR — `npm run
 * docs:screenshots` writes the user guide's pictures (docs/screenshots) this way.
 */
export const SCREENSHOT_DIR = path.resolve(process.env.SCREENSHOT_DIR || path.join(__dirname, '..', '..', 'test-output', 'screenshots'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!existsSync(CHROMIUM)) {
  throw new Error(
    `Chromium not found at ${CHROMIUM}: the panel's browser tests cannot run. Install it (Debian/Ubuntu: \`sudo apt-get install chromium\`) or point CHROMIUM_PATH at a Chromium binary.`,
  );
}

type Teardown = { teardown(fn: () => unknown): void };

import { startDesk, type Desk } from './desk';

export { startDesk, type Desk };

/**
 * A scenario's frames cut right after the first frame matching each cut in turn: the first part
 * is replayed, the panel checked, then the next part, and so on. Returns cuts.length + 1 parts.
 */
export function cutScenario(name: string, ...cuts: ((f: AmiFields) => boolean)[]): AmiFrame[][] {
  const scenario = loadScenario(name);
  const frames = scenarioFrames(scenario);
  const parts: AmiFrame[][] = [];
  let from = 0;
  for (const cut of cuts) {
    const at = scenario.messages.findIndex((m, i) => i >= from && cut(m.fields));
    if (at < 0) throw new Error(`no frame in ${name} after #${from} matches cut ${parts.length + 1}`);
    parts.push(frames.slice(from, at + 1));
    from = at + 1;
  }
  parts.push(frames.slice(from));
  return parts;
}

/** A cut at the n-th frame matching `pred` (counted from where the previous cut ended). */
export function nth(n: number, pred: (f: AmiFields) => boolean): (f: AmiFields) => boolean {
  let seen = 0;
  return (f) => pred(f) && ++seen === n;
}

/** A cut at the frame where `extension`'s phone starts ringing. */
export const dialTo = (extension: string) => (f: AmiFields) => f.Event === 'DialBegin' && (f.DestChannel ?? '').startsWith(`SIP/${extension}-`);
/** A cut at the frame where `extension` answers. */
export const answeredBy = (extension: string) => (f: AmiFields) =>
  f.Event === 'DialEnd' && f.DialStatus === 'ANSWER' && (f.DestChannel ?? '').startsWith(`SIP/${extension}-`);

/**
 * Counts, from now on, the frames the page paints while `when` holds — `when` is a JavaScript
 * expression as text (the test's compiled functions would carry helpers the page lacks). Returns
 * a reader of the count.
 */
export async function countFrames(page: Page, when: string): Promise<() => Promise<number>> {
  const name = `framesCounted${Math.random().toString(36).slice(2)}`;
  await page.evaluate(`
    window.${name} = 0;
    const frame = () => {
      if (${when}) window.${name}++;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  `);
  return async () => Number(await page.evaluate(`window.${name}`));
}

export interface Panel {
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw (a test may assert there are none). */
  errors: string[];
}

/** A fresh Chromium (its own profile: cookies and localStorage start empty) at 1366×768 on the panel. */
export async function openPanel(t: Teardown, url: string, opts: { timezoneId?: string } = {}): Promise<Panel> {
  const profile = mkdtempSync(path.join(tmpdir(), 'calldesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 768 },
    // An agent's computer may be set to any zone: the panel still shows Moscow time.
    timezoneId: opts.timezoneId ?? 'Asia/Vladivostok',
    locale: 'ru-RU',
    // No entrance animations: what is on screen is where it ends up, without waiting for it.
    reducedMotion: 'reduce',
  });
  t.teardown(async () => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  });
  // Generous: on a loaded two-core CI machine a fresh Chromium can take seconds to paint; a test
  // that waits for something that never comes still fails, only later.
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // The session check before sign-in answers 401 by design, and a save that meets a newer version
    // 409 (the editor then rebases or shows the conflict, which the tests check on the page); the
    // browser logs both as errors. On a loaded machine a save can meet a call's change (owner,
    // transfer) that way where an idle one never does.
    if (msg.type() === 'error' && !/status of 40[19]/.test(msg.text())) errors.push(msg.text());
  });
  await page.goto(url);
  return { context, page, errors };
}

export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Логин').fill(login).catch(async (err: Error) => {
    // Say what the page showed instead of the sign-in form (a rare CI failure left no trace of it).
    const shown = await page.locator('body').innerText({ timeout: 1000 }).catch(() => '(unreadable)');
    throw new Error(`${err.message}\n${page.url()} showed: ${JSON.stringify(shown.slice(0, 500))}`);
  });
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('button', { name: 'Выйти' }).waitFor();
  // Connected: the snapshot has arrived and the PBX state is shown, and no banner says otherwise
  // (a supervisor's surge banner may be up already: it is not about the connection).
  await page.locator('[data-testid="pbx-status"]').waitFor();
  await page.locator('.banner:not([data-testid="surge"])').waitFor({ state: 'detached' });
}

export interface AnsweredDraft extends Desk, Panel {
  /** The first agent given, signed in on the panel. */
  me: Desk['agents'][string];
  /** The answered call's draft on the panel, and its id. */
  panel: Locator;
  ticketId: string;
}

/**
 * The common start of a panel test: the desk with `agents`, the first one signed in on the panel,
 * and the recorded answered call (S1) replayed up to their answer, so its draft is open.
 */
export async function answeredDraft(t: Teardown, agents: [string, string | null, ('agent' | 'supervisor' | 'admin')?][]): Promise<AnsweredDraft> {
  const desk = await startDesk(t, agents);
  const [login, extension] = agents[0];
  const me = desk.agents[login];
  const view = await openPanel(t, desk.app.url);
  await signIn(view.page, login, me.password);
  const [answered] = cutScenario('S1-answered', answeredBy(extension!));
  await desk.peer.replay(answered);
  const panel = view.page.getByTestId('ticket-panel');
  await panel.waitFor();
  const ticketId = (await panel.getAttribute('data-ticket-id'))!;
  return { ...desk, ...view, me, panel, ticketId };
}

/** A screenshot of the page under SCREENSHOT_DIR, for a human to look at and for the user guide. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
