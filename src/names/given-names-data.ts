// Given-name equivalents: one entry per name, Belarusian and Russian full forms side by side, then
// the familiar forms people are called by (and that lists, letters and the press sometimes use).
//
// Written from general knowledge of East Slavic names, in Cyrillic only: every Latin spelling of
// these names is derived by the romanisation rules in phonetic.ts, so a Latin form is never listed
// here. The one exception is `western`: names that English, French or German texts use instead of
// the Slavic name (Eugene for Евгений), which no transliteration produces.
//
// A familiar form may belong to several names (Саша is Александр and Александра; Слава is
// Вячеслав, Станислав, Ярослав, Владислав): the matcher then accepts each of them.

export interface GivenNameEntry {
  /** Russian full forms (spelling variants included, e.g. Наталья / Наталия). */
  readonly ru: readonly string[];
  /** Belarusian full forms, literary and traditional (Алесь, Зміцер, Кастусь, Янка are full names). */
  readonly be: readonly string[];
  /** Familiar and diminutive forms, Russian and Belarusian. */
  readonly familiar: readonly string[];
  /** Non-Slavic equivalents used in Western texts. */
  readonly western?: readonly string[];
}

export const MALE_GIVEN_NAMES: readonly GivenNameEntry[] = [
  { ru: ['Александр'], be: ['Аляксандр', 'Алесь', 'Алекс'], familiar: ['Саша', 'Саня', 'Шура', 'Алесик'], western: ['Alexander', 'Alexandre'] },
  { ru: ['Алексей'], be: ['Аляксей'], familiar: ['Лёша', 'Алёша', 'Лёха', 'Лёшка'], western: ['Alexis'] },
  { ru: ['Анатолий'], be: ['Анатоль'], familiar: ['Толя', 'Толик'] },
  { ru: ['Андрей'], be: ['Андрэй', 'Андрусь'], familiar: ['Андрюша', 'Андрюха'], western: ['Andrew', 'André'] },
  { ru: ['Антон'], be: ['Антон', 'Антось'], familiar: ['Антоша', 'Тоша'] },
  { ru: ['Аркадий'], be: ['Аркадзь'], familiar: ['Аркаша'] },
  { ru: ['Арсений'], be: ['Арсень'], familiar: ['Арсюша', 'Сеня'] },
  { ru: ['Артём', 'Артемий'], be: ['Арцём', 'Арцемій'], familiar: ['Тёма', 'Артёмка'] },
  { ru: ['Богдан'], be: ['Багдан'], familiar: ['Бодя'] },
  { ru: ['Борис'], be: ['Барыс'], familiar: ['Боря'] },
  { ru: ['Вадим'], be: ['Вадзім'], familiar: ['Вадик', 'Вадя'] },
  { ru: ['Валентин'], be: ['Валянцін'], familiar: ['Валя', 'Валик'] },
  { ru: ['Валерий'], be: ['Валерый'], familiar: ['Валера'] },
  { ru: ['Василий'], be: ['Васіль', 'Базыль'], familiar: ['Вася', 'Васька'] },
  { ru: ['Виктор'], be: ['Віктар'], familiar: ['Витя', 'Витёк'] },
  { ru: ['Виталий'], be: ['Віталь'], familiar: ['Виталик'] },
  { ru: ['Владимир'], be: ['Уладзімір', 'Уладзімер'], familiar: ['Володя', 'Вова', 'Вовка', 'Валодзя', 'Валодзька'] },
  { ru: ['Владислав'], be: ['Уладзіслаў'], familiar: ['Влад', 'Владик', 'Слава'] },
  { ru: ['Вячеслав'], be: ['Вячаслаў'], familiar: ['Слава', 'Славик'] },
  { ru: ['Геннадий'], be: ['Генадзь'], familiar: ['Гена'] },
  { ru: ['Георгий'], be: ['Георгій', 'Юрый'], familiar: ['Жора', 'Гоша'], western: ['George'] },
  { ru: ['Глеб'], be: ['Глеб'], familiar: ['Глебушка'] },
  { ru: ['Григорий'], be: ['Рыгор', 'Грыгорый'], familiar: ['Гриша'] },
  { ru: ['Даниил', 'Данила'], be: ['Даніла', 'Данііл'], familiar: ['Даня'] },
  { ru: ['Денис'], be: ['Дзяніс'], familiar: ['Дениска'] },
  { ru: ['Дмитрий'], be: ['Дзмітрый', 'Зміцер', 'Змітрок'], familiar: ['Дима', 'Митя', 'Димка', 'Дзіма'] },
  { ru: ['Евгений'], be: ['Яўген', 'Яўгені'], familiar: ['Женя', 'Жэня'], western: ['Eugene', 'Eugen'] },
  { ru: ['Егор'], be: ['Ягор'], familiar: ['Егорка', 'Ягорка'] },
  { ru: ['Ефим'], be: ['Яфім'], familiar: ['Фима'] },
  { ru: ['Захар'], be: ['Захар'], familiar: ['Захарка'] },
  { ru: ['Иван'], be: ['Іван', 'Янка', 'Ян'], familiar: ['Ваня', 'Ванечка', 'Янук'] },
  { ru: ['Игорь'], be: ['Ігар'], familiar: ['Игорёк'] },
  { ru: ['Илья'], be: ['Ілля'], familiar: ['Илюша', 'Ілюша'] },
  { ru: ['Иосиф'], be: ['Язэп', 'Іосіф'], familiar: ['Ося'], western: ['Joseph'] },
  { ru: ['Кирилл'], be: ['Кірыл', 'Кірыла'], familiar: ['Кирюша', 'Кирюха'] },
  { ru: ['Константин'], be: ['Канстанцін', 'Кастусь'], familiar: ['Костя', 'Костик'] },
  { ru: ['Лев'], be: ['Леў'], familiar: ['Лёва'] },
  { ru: ['Леонид'], be: ['Леанід'], familiar: ['Лёня'] },
  { ru: ['Максим'], be: ['Максім'], familiar: ['Макс', 'Максимка'] },
  { ru: ['Матвей'], be: ['Мацвей'], familiar: ['Мотя'] },
  { ru: ['Михаил'], be: ['Міхаіл', 'Міхась', 'Міхал'], familiar: ['Миша', 'Мишка'], western: ['Michael'] },
  { ru: ['Никита'], be: ['Мікіта'], familiar: ['Никитка'] },
  { ru: ['Николай'], be: ['Мікалай', 'Мікола'], familiar: ['Коля', 'Колька'], western: ['Nicholas', 'Nicolas'] },
  { ru: ['Олег'], be: ['Алег'], familiar: ['Олежка'] },
  { ru: ['Павел'], be: ['Павел', 'Павал', 'Паўлюк'], familiar: ['Паша', 'Павлик'], western: ['Paul'] },
  { ru: ['Пётр'], be: ['Пётр', 'Пятро', 'Пятрусь'], familiar: ['Петя'], western: ['Peter', 'Pierre'] },
  { ru: ['Роман'], be: ['Раман'], familiar: ['Рома', 'Ромка'] },
  { ru: ['Ростислав'], be: ['Расціслаў'], familiar: ['Ростик', 'Слава'] },
  { ru: ['Руслан'], be: ['Руслан'], familiar: ['Русик'] },
  { ru: ['Святослав'], be: ['Святаслаў'], familiar: ['Слава', 'Свят'] },
  { ru: ['Семён'], be: ['Сямён'], familiar: ['Сёма', 'Сеня'] },
  { ru: ['Сергей'], be: ['Сяргей', 'Сярж'], familiar: ['Серёжа', 'Серёга', 'Сярожа'], western: ['Serge'] },
  { ru: ['Станислав'], be: ['Станіслаў'], familiar: ['Стас', 'Слава', 'Стасик'] },
  { ru: ['Степан'], be: ['Сцяпан'], familiar: ['Стёпа'], western: ['Stephen'] },
  { ru: ['Тимофей'], be: ['Цімафей'], familiar: ['Тима', 'Тимоша'] },
  { ru: ['Фёдор'], be: ['Фёдар', 'Тодар', 'Хведар'], familiar: ['Федя'], western: ['Theodore'] },
  { ru: ['Филипп'], be: ['Філіп'], familiar: ['Филя'], western: ['Philip'] },
  { ru: ['Эдуард'], be: ['Эдуард'], familiar: ['Эдик'], western: ['Edward'] },
  { ru: ['Юрий'], be: ['Юрый', 'Юрась', 'Юрка'], familiar: ['Юра'] },
  { ru: ['Яков'], be: ['Якаў', 'Якуб'], familiar: ['Яша'], western: ['Jacob'] },
  { ru: ['Ярослав'], be: ['Яраслаў'], familiar: ['Ярик', 'Слава'] },
];

export const FEMALE_GIVEN_NAMES: readonly GivenNameEntry[] = [
  { ru: ['Александра'], be: ['Аляксандра'], familiar: ['Саша', 'Шура', 'Саня'] },
  { ru: ['Олеся', 'Алеся'], be: ['Алеся'], familiar: ['Леся'] },
  { ru: ['Алла'], be: ['Ала'], familiar: ['Аллочка'] },
  { ru: ['Алина'], be: ['Аліна'], familiar: ['Аля'] },
  { ru: ['Анастасия'], be: ['Анастасія', 'Настасся'], familiar: ['Настя', 'Стася', 'Ася'] },
  { ru: ['Анна'], be: ['Ганна', 'Анна'], familiar: ['Аня', 'Анечка', 'Ганка', 'Ганначка'], western: ['Ann', 'Hannah'] },
  { ru: ['Валентина'], be: ['Валянціна'], familiar: ['Валя'] },
  { ru: ['Валерия'], be: ['Валерыя'], familiar: ['Лера'] },
  { ru: ['Вера'], be: ['Вера'], familiar: ['Верочка'] },
  { ru: ['Вероника'], be: ['Вераніка'], familiar: ['Ника'] },
  { ru: ['Виктория'], be: ['Вікторыя'], familiar: ['Вика'] },
  { ru: ['Галина'], be: ['Галіна', 'Галена'], familiar: ['Галя'] },
  { ru: ['Дарья', 'Дария'], be: ["Дар'я", 'Дарына'], familiar: ['Даша'] },
  { ru: ['Диана'], be: ['Дыяна'], familiar: ['Диана'] },
  { ru: ['Евгения'], be: ['Яўгенія'], familiar: ['Женя', 'Жэня'], western: ['Eugenie'] },
  { ru: ['Екатерина'], be: ['Кацярына', 'Катэрына'], familiar: ['Катя', 'Катюша', 'Каця'], western: ['Catherine', 'Katherine'] },
  { ru: ['Елена'], be: ['Алена', 'Алёна', 'Елена'], familiar: ['Лена', 'Алёнка', 'Лёля'], western: ['Helen', 'Helena', 'Hélène'] },
  { ru: ['Елизавета'], be: ['Лізавета', 'Альжбета'], familiar: ['Лиза'], western: ['Elizabeth'] },
  { ru: ['Жанна'], be: ['Жанна'], familiar: ['Жанночка'] },
  { ru: ['Зинаида'], be: ['Зінаіда'], familiar: ['Зина'] },
  { ru: ['Инна'], be: ['Іна'], familiar: ['Инночка'] },
  { ru: ['Ирина'], be: ['Ірына', 'Арына'], familiar: ['Ира', 'Ірка', 'Ирочка'] },
  { ru: ['Кристина'], be: ['Крысціна'], familiar: ['Кристя'] },
  { ru: ['Ксения'], be: ['Ксенія', 'Аксіння'], familiar: ['Ксюша'] },
  { ru: ['Лариса'], be: ['Ларыса'], familiar: ['Лара'] },
  { ru: ['Любовь'], be: ['Любоў'], familiar: ['Люба'] },
  { ru: ['Людмила'], be: ['Людміла'], familiar: ['Люда', 'Мила'] },
  { ru: ['Маргарита'], be: ['Маргарыта'], familiar: ['Рита'] },
  { ru: ['Марина'], be: ['Марына'], familiar: ['Мариша'] },
  { ru: ['Мария'], be: ['Марыя', 'Марыля'], familiar: ['Маша', 'Маня', 'Марийка'], western: ['Mary', 'Marie'] },
  { ru: ['Надежда'], be: ['Надзея'], familiar: ['Надя'] },
  { ru: ['Наталья', 'Наталия'], be: ['Наталля', 'Наталія'], familiar: ['Наташа', 'Ната'], western: ['Natalie'] },
  { ru: ['Нина'], be: ['Ніна'], familiar: ['Ниночка'] },
  { ru: ['Оксана'], be: ['Аксана'], familiar: ['Ксана'] },
  { ru: ['Ольга'], be: ['Вольга'], familiar: ['Оля', 'Воля'] },
  { ru: ['Полина'], be: ['Паліна'], familiar: ['Поля'], western: ['Pauline'] },
  { ru: ['Раиса'], be: ['Раіса'], familiar: ['Рая'] },
  { ru: ['Светлана'], be: ['Святлана'], familiar: ['Света', 'Светик'] },
  { ru: ['Софья', 'София'], be: ["Соф'я", 'Сафія'], familiar: ['Соня'], western: ['Sophie'] },
  { ru: ['Тамара'], be: ['Тамара'], familiar: ['Тома'] },
  { ru: ['Татьяна'], be: ['Таццяна'], familiar: ['Таня', 'Танюша'] },
  { ru: ['Ульяна'], be: ['Ульяна'], familiar: ['Уля'] },
  { ru: ['Юлия'], be: ['Юлія'], familiar: ['Юля'], western: ['Julia', 'Julie'] },
  { ru: ['Яна'], be: ['Яна'], familiar: ['Яночка'] },
];
