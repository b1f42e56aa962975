/**
 * On a held person's page: how to write to them (in Russian, since censors read every letter; what
 * not to write) and how many letters volunteers logged as sent and answered. Only the counts of the
 * letters log are public; who wrote, when and what stays internal.
 */
import type { LetterCounts } from '../../../features/casework/letters.service.js';
import { html, type Html } from '../html.js';
import { messages, say, type Lang } from '../i18n.js';

export const lettersText = messages('letters', {
  en: {
    how: 'How to write',
    language: 'Write in Russian: the prison censor reads every letter, and letters in other languages are often held back.',
    avoid: 'Do not write about politics, the case or the trial, and do not name other people or other prisoners: such letters are not delivered and can harm the prisoner.',
    about: 'Write about everyday things: your life, books, nature, good wishes. Short letters and postcards get through more often.',
    envelope: 'On the envelope: the full name in Russian and the year of birth, as below.',
    counts: 'Letters logged by volunteers',
    sent: { one: '{n} letter sent', other: '{n} letters sent' },
    replies: { one: '{n} reply received', other: '{n} replies received' },
  },
  be: {
    how: 'Як пісаць',
    language: 'Пішыце па-руску: кожны ліст чытае цэнзар, а лісты на іншых мовах часта затрымліваюць.',
    avoid: 'Не пішыце пра палітыку, справу ці суд і не называйце іншых людзей ці вязняў: такія лісты не перадаюць, і яны могуць нашкодзіць вязню.',
    about: 'Пішыце пра штодзённае: пра сваё жыццё, кнігі, прыроду, добрыя пажаданні. Кароткія лісты і паштоўкі даходзяць часцей.',
    envelope: 'На канверце: прозвішча, імя, імя па бацьку па-руску і год нараджэння, як ніжэй.',
    counts: 'Лісты, якія адзначылі валанцёры',
    sent: { one: 'адпраўлены {n} ліст', few: 'адпраўлена {n} лісты', many: 'адпраўлена {n} лістоў', other: 'адпраўлена {n} ліста' },
    replies: { one: 'атрыманы {n} адказ', few: 'атрымана {n} адказы', many: 'атрымана {n} адказаў', other: 'атрымана {n} адказу' },
  },
  ru: {
    how: 'Как писать',
    language: 'Пишите по-русски: каждое письмо читает цензор, а письма на других языках часто задерживают.',
    avoid: 'Не пишите о политике, деле или суде и не называйте других людей или заключённых: такие письма не передают, и они могут навредить заключённому.',
    about: 'Пишите о повседневном: о своей жизни, книгах, природе, добрые пожелания. Короткие письма и открытки доходят чаще.',
    envelope: 'На конверте: фамилия, имя, отчество по-русски и год рождения, как ниже.',
    counts: 'Письма, отмеченные волонтёрами',
    sent: { one: 'отправлено {n} письмо', few: 'отправлено {n} письма', many: 'отправлено {n} писем', other: 'отправлено {n} письма' },
    replies: { one: 'получен {n} ответ', few: 'получено {n} ответа', many: 'получено {n} ответов', other: 'получено {n} ответа' },
  },
});

/** The guidance list; `withAddress` adds the line about the envelope when an address follows. */
export function howToWrite(lang: Lang, withAddress: boolean): Html {
  const t = (key: 'how' | 'language' | 'avoid' | 'about' | 'envelope') => say(lang, lettersText, key);
  return html`<h3>${t('how')}</h3><ul class="write-guide"><li>${t('language')}</li><li>${t('avoid')}</li><li>${t('about')}</li>${withAddress ? html`<li>${t('envelope')}</li>` : ''}</ul>`;
}

export function letterCountsLine(lang: Lang, counts: LetterCounts): Html {
  return html`<p class="letter-counts">${say(lang, lettersText, 'counts')}: ${say(lang, lettersText, 'sent', { n: counts.sent })}, ${say(lang, lettersText, 'replies', { n: counts.replies })}.</p>`;
}
