// The customer's page behind a link: Russian, plain HTML forms (no JavaScript, no session), the
// request's number, subject and solution, and one form per action the link still offers.
import type { LinkAction } from './validity';

export interface PageRequest {
  number: string | null;
  subject: string;
  solution: string | null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.solution{white-space:pre-wrap;background:#f4f6f8;padding:.75rem 1rem;border-radius:6px}
form{margin:1.25rem 0;padding:1rem;border:1px solid #d0d7de;border-radius:6px}textarea{width:100%;min-height:6rem;box-sizing:border-box;font:inherit}
button{font:inherit;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f6feb}.note{padding:.75rem 1rem;border-radius:6px;background:#fff8c5}.error{color:#b42318}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function header(r: PageRequest): string {
  const number = r.number ? `Обращение ${esc(r.number)}` : 'Обращение';
  return `<h1>${number}</h1>${r.subject ? `<p><b>Тема:</b> ${esc(r.subject)}</p>` : ''}`;
}

/** The page with the forms the link offers; `focus` (from the mail's link) comes first. */
export function actionsPage(r: PageRequest, actions: readonly LinkAction[], o: { focus?: string; error?: string; reason?: string } = {}): string {
  const forms: Record<LinkAction, string> = {
    confirm: `<form method="post" id="confirm"><input type="hidden" name="action" value="confirm"><p>Вопрос решён?</p><button type="submit">Да, вопрос решён</button></form>`,
    disagree: `<form method="post" id="disagree"><input type="hidden" name="action" value="disagree"><p><label for="reason">Решение не помогло? Опишите, что не так:</label></p>${
      o.error ? `<p class="error">${esc(o.error)}</p>` : ''
    }<textarea id="reason" name="reason" maxlength="5000">${esc(o.reason ?? '')}</textarea><p><button type="submit" class="secondary">Не согласен с решением</button></p></form>`,
    withdraw: `<form method="post" id="withdraw"><input type="hidden" name="action" value="withdraw"><p>Помощь больше не нужна?</p><button type="submit" class="secondary">Отозвать обращение</button></form>`,
  };
  const order = [...actions].sort((a, b) => Number(b === o.focus) - Number(a === o.focus));
  const solution = r.solution && actions.includes('confirm') ? `<p><b>Решение:</b></p><div class="solution">${esc(r.solution)}</div>` : '';
  return page(r.number ? `Обращение ${r.number}` : 'Обращение', `${header(r)}${solution}${order.map((a) => forms[a]).join('')}`);
}

const DONE: Record<LinkAction, string> = {
  confirm: 'Спасибо! Вы подтвердили, что вопрос решён. Обращение закрыто.',
  disagree: 'Спасибо! Мы получили ваш ответ: обращение снова в работе, специалист свяжется с вами.',
  withdraw: 'Обращение отозвано. Если помощь снова понадобится — напишите или позвоните нам.',
};

export const donePage = (r: PageRequest, action: LinkAction) => page('Готово', `${header(r)}<p class="note" id="result">${DONE[action]}</p>`);

export const usedPage = (r: PageRequest) =>
  page('Решение уже принято', `${header(r)}<p class="note" id="result">Решение по этой ссылке уже принято. Повторно оно не меняется; если нужно что-то ещё — ответьте на письмо.</p>`);

export const outdatedPage = (r: PageRequest, status: string) => {
  const now = status === 'closed' ? 'Обращение уже закрыто.' : status === 'in_progress' ? 'Обращение сейчас в работе.' : 'Состояние обращения изменилось.';
  return page('Ссылка устарела', `${header(r)}<p class="note" id="result">${now} Эта ссылка больше ничего не меняет; если нужно что-то ещё — ответьте на письмо.</p>`);
};

export const notFoundPage = () => page('Ссылка недействительна', `<h1>Ссылка недействительна</h1><p class="note" id="result">Ссылка не найдена или срок её действия истёк.</p>`);

export const tooManyPage = () => page('Слишком много запросов', `<h1>Слишком много запросов</h1><p class="note">Попробуйте ещё раз через несколько минут.</p>`);
