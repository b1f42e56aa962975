/** The registry's coded values (event types, statuses, regimes, ...) in the site's three languages. */
import type { EventType, FacilityType, Gender, Regime, ReleaseReason } from '../../domain/event-types.js';
import type { PublicStatus } from '../../features/public/public-registry.service.js';
import type { Lang } from './i18n.js';

type Labels<K extends string> = Record<Lang, Record<K, string>>;

export const STATUS_LABELS: Labels<PublicStatus> = {
  en: { held: 'Held', released: 'Released', expelled: 'Released and expelled', died: 'Died in custody' },
  be: { held: 'Утрымліваецца', released: 'Вызвалены(-ая)', expelled: 'Вызвалены(-ая) і высланы(-ая)', died: 'Памёр(-ла) у зняволенні' },
  ru: { held: 'Удерживается', released: 'Освобождён(-а)', expelled: 'Освобождён(-а) и выслан(-а)', died: 'Умер(-ла) в заключении' },
};

export const EVENT_LABELS: Labels<EventType> = {
  en: {
    detained: 'Detained', charged: 'Charged', sentenced: 'Sentenced', transferred: 'Transferred', released: 'Released',
    expelled: 'Expelled from the country', recognized: 'Recognised as a political prisoner', recognition_withdrawn: 'Recognition withdrawn', died: 'Died',
  },
  be: {
    detained: 'Затрыманне', charged: 'Абвінавачванне', sentenced: 'Прысуд', transferred: 'Этапаванне', released: 'Вызваленне',
    expelled: 'Высылка з краіны', recognized: 'Прызнанне палітвязнем', recognition_withdrawn: 'Статус палітвязня зняты', died: 'Смерць',
  },
  ru: {
    detained: 'Задержание', charged: 'Обвинение', sentenced: 'Приговор', transferred: 'Этапирование', released: 'Освобождение',
    expelled: 'Высылка из страны', recognized: 'Признание политзаключённым', recognition_withdrawn: 'Статус политзаключённого снят', died: 'Смерть',
  },
};

export const GENDER_LABELS: Labels<Gender> = {
  en: { female: 'Women', male: 'Men', other: 'Other', unknown: 'Not known' },
  be: { female: 'Жанчыны', male: 'Мужчыны', other: 'Іншае', unknown: 'Невядома' },
  ru: { female: 'Женщины', male: 'Мужчины', other: 'Другое', unknown: 'Неизвестно' },
};

export const REGIME_LABELS: Labels<Regime> = {
  en: {
    general: 'general regime colony', enhanced: 'enhanced regime colony', strict: 'strict regime colony', special: 'special regime colony', prison: 'prison',
    colony_settlement: 'colony-settlement', restricted_freedom: 'restricted freedom', home_confinement: 'home confinement', compulsory_treatment: 'compulsory treatment', other: 'other',
  },
  be: {
    general: 'калонія агульнага рэжыму', enhanced: 'калонія ўзмоцненага рэжыму', strict: 'калонія строгага рэжыму', special: 'калонія асобага рэжыму', prison: 'турэмны рэжым',
    colony_settlement: 'калонія-пасяленне', restricted_freedom: 'абмежаванне волі', home_confinement: 'хатні арышт', compulsory_treatment: 'прымусовае лячэнне', other: 'іншае',
  },
  ru: {
    general: 'колония общего режима', enhanced: 'колония усиленного режима', strict: 'колония строгого режима', special: 'колония особого режима', prison: 'тюремный режим',
    colony_settlement: 'колония-поселение', restricted_freedom: 'ограничение свободы', home_confinement: 'домашний арест', compulsory_treatment: 'принудительное лечение', other: 'другое',
  },
};

export const REASON_LABELS: Labels<ReleaseReason> = {
  en: { end_of_term: 'end of term', pardon: 'pardon', negotiated: 'negotiated release', amnesty: 'amnesty', acquitted: 'acquitted', non_custodial: 'non-custodial sentence', other: 'other' },
  be: { end_of_term: 'па заканчэнні тэрміну', pardon: 'памілаванне', negotiated: 'вызваленне праз перамовы', amnesty: 'амністыя', acquitted: 'апраўданне', non_custodial: 'пакаранне без пазбаўлення волі', other: 'іншае' },
  ru: { end_of_term: 'по окончании срока', pardon: 'помилование', negotiated: 'освобождение в результате переговоров', amnesty: 'амнистия', acquitted: 'оправдание', non_custodial: 'наказание без лишения свободы', other: 'другое' },
};

export const FACILITY_TYPE_LABELS: Labels<FacilityType> = {
  en: { sizo: 'pre-trial detention centre (SIZO)', penal_colony: 'penal colony', prison: 'prison', temporary_detention: 'temporary detention centre', other: 'other' },
  be: { sizo: 'следчы ізалятар (СІЗА)', penal_colony: 'папраўчая калонія', prison: 'турма', temporary_detention: 'ізалятар часовага ўтрымання', other: 'іншае' },
  ru: { sizo: 'следственный изолятор (СИЗО)', penal_colony: 'исправительная колония', prison: 'тюрьма', temporary_detention: 'изолятор временного содержания', other: 'другое' },
};

/** A coded value's label, or the code itself when the table does not know it (new codes still show). */
export function label<K extends string>(labels: Labels<K>, lang: Lang, code: string | null | undefined): string {
  if (!code) return '';
  return (labels[lang] as Record<string, string>)[code] ?? code;
}
