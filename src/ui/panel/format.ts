// How the panel writes numbers and times: Russian numbers as `+7 (921) 941-60-04`, times in
// Moscow time as `dd.MM.yyyy HH:mm` whatever the agent's computer is set to.
import { currentLang, t } from './i18n';

const RU = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/;

/** `+79219416004` → `+7 (921) 941-60-04`; other numbers as they are; null → null (withheld). */
export function formatPhone(e164: string | null | undefined): string | null {
  if (!e164) return null;
  const m = RU.exec(e164);
  return m ? `+7 (${m[1]}) ${m[2]}-${m[3]}-${m[4]}` : e164;
}

const TZ = 'Europe/Moscow';
const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(at: string | Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of dateTime.formatToParts(typeof at === 'string' ? new Date(at) : at)) out[p.type] = p.value;
  return out;
}

/** `dd.MM.yyyy HH:mm`, Moscow time. */
export function formatDateTime(at: string | Date | null | undefined): string {
  if (!at) return '';
  const p = parts(at);
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** `HH:mm:ss`, Moscow time (the "saved at" mark). */
export function formatTime(at: string | Date): string {
  const p = parts(at);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** `m:ss` or `h:mm:ss` since `from`. */
export function formatDuration(fromIso: string, now: number, untilIso?: string | null): string {
  const end = untilIso ? new Date(untilIso).getTime() : now;
  const s = Math.max(0, Math.floor((end - new Date(fromIso).getTime()) / 1000));
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** A Moscow calendar day (`yyyy-mm-dd`, `plusDays` later) as the instant it starts (Moscow is UTC+3 all year). */
export const moscowDayStart = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00+03:00`) + plusDays * 86_400_000).toISOString();

/** A file's size as people read it: `512 Б`, `48 КБ`, `2,5 МБ` (in the panel's language). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return t('size_b', { n: bytes });
  if (bytes < 1024 * 1024) return t('size_kb', { n: Math.round(bytes / 1024) });
  const mb = (bytes / (1024 * 1024)).toLocaleString(currentLang() === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1 });
  return t('size_mb', { n: mb });
}
