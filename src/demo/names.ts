// Hand-written name tables for fictional people. Each entry carries the Belarusian Cyrillic, Russian
// Cyrillic and passport-style Latin form, because a registry has to hold all three for one person.
// The family names of well-known real political prisoners are deliberately left out, so that no demo
// record reproduces a real, recognisable person.

export interface GivenName {
  be: string;
  ru: string;
  latin: string;
}

export interface FamilyName {
  be: { male: string; female: string };
  ru: { male: string; female: string };
  latin: { male: string; female: string };
}

export interface Patronymic {
  be: { male: string; female: string };
  ru: { male: string; female: string };
}

function givenNames(table: string): GivenName[] {
  return lines(table).map((line) => {
    const [be = '', ru = '', latin = ''] = line.split('|');
    return { be, ru, latin };
  });
}

function familyNames(table: string): FamilyName[] {
  return lines(table).map((line) => {
    const [beM = '', beF = '', ruM = '', ruF = '', latM = '', latF = ''] = line.split('|');
    return { be: { male: beM, female: beF }, ru: { male: ruM, female: ruF }, latin: { male: latM, female: latF } };
  });
}

function patronymics(table: string): Patronymic[] {
  return lines(table).map((line) => {
    const [beM = '', beF = '', ruM = '', ruF = ''] = line.split('|');
    return { be: { male: beM, female: beF }, ru: { male: ruM, female: ruF } };
  });
}

function lines(table: string): string[] {
  return table
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

// be | ru | passport Latin
export const MALE_GIVEN_NAMES = givenNames(`
  Аляксандр|Александр|Aliaksandr
  Андрэй|Андрей|Andrei
  Сяргей|Сергей|Siarhei
  Дзмітрый|Дмитрий|Dzmitry
  Мікалай|Николай|Mikalai
  Уладзімір|Владимир|Uladzimir
  Павел|Павел|Pavel
  Віктар|Виктор|Viktar
  Ігар|Игорь|Ihar
  Алег|Олег|Aleh
  Юрый|Юрий|Yury
  Максім|Максим|Maksim
  Арцём|Артём|Artsiom
  Аляксей|Алексей|Aliaksei
  Яўген|Евгений|Yauhen
  Васіль|Василий|Vasil
  Міхаіл|Михаил|Mikhail
  Раман|Роман|Raman
  Дзяніс|Денис|Dzianis
  Вадзім|Вадим|Vadzim
  Антон|Антон|Anton
  Кірыл|Кирилл|Kiryl
  Мікіта|Никита|Mikita
  Ягор|Егор|Yahor
  Ілья|Илья|Illia
  Станіслаў|Станислав|Stanislau
  Валерый|Валерий|Valery
  Генадзь|Геннадий|Hienadz
  Пётр|Пётр|Piotr
  Леанід|Леонид|Leanid
  Анатоль|Анатолий|Anatol
  Вячаслаў|Вячеслав|Viachaslau
  Уладзіслаў|Владислав|Uladzislau
  Іван|Иван|Ivan
  Ігнат|Игнат|Ihnat
  Тарас|Тарас|Taras
`);

export const FEMALE_GIVEN_NAMES = givenNames(`
  Марыя|Мария|Maryia
  Алена|Елена|Alena
  Вольга|Ольга|Volha
  Наталля|Наталья|Natallia
  Таццяна|Татьяна|Tatsiana
  Святлана|Светлана|Sviatlana
  Ірына|Ирина|Iryna
  Кацярына|Екатерина|Katsiaryna
  Ганна|Анна|Hanna
  Юлія|Юлия|Yuliya
  Анастасія|Анастасия|Anastasiya
  Дар'я|Дарья|Darya
  Людміла|Людмила|Liudmila
  Галіна|Галина|Halina
  Вікторыя|Виктория|Viktoryia
  Ксенія|Ксения|Kseniya
  Яўгенія|Евгения|Yauheniya
  Валянціна|Валентина|Valiantsina
  Надзея|Надежда|Nadzeya
  Вераніка|Вероника|Veranika
  Алеся|Олеся|Alesia
  Паліна|Полина|Palina
`);

// be masculine | be feminine | ru masculine | ru feminine | Latin masculine | Latin feminine
export const FAMILY_NAMES = familyNames(`
  Кузняцоў|Кузняцова|Кузнецов|Кузнецова|Kuzniatsou|Kuzniatsova
  Іваноў|Іванова|Иванов|Иванова|Ivanou|Ivanova
  Сакалоў|Сакалова|Соколов|Соколова|Sakalou|Sakalova
  Папоў|Папова|Попов|Попова|Papou|Papova
  Васільеў|Васільева|Васильев|Васильева|Vasilyeu|Vasilyeva
  Кавалёў|Кавалёва|Ковалёв|Ковалёва|Kavaliou|Kavaliova
  Ткачоў|Ткачова|Ткачёв|Ткачёва|Tkachou|Tkachova
  Салаўёў|Салаўёва|Соловьёв|Соловьёва|Salauyou|Salauyova
  Марозаў|Марозава|Морозов|Морозова|Marozau|Marozava
  Лебедзеў|Лебедзева|Лебедев|Лебедева|Liebiedzieu|Liebiedzieva
  Зайцаў|Зайцава|Зайцев|Зайцева|Zaitsau|Zaitsava
  Паўлоўскі|Паўлоўская|Павловский|Павловская|Paulouski|Paulouskaya
  Казлоўскі|Казлоўская|Козловский|Козловская|Kazlouski|Kazlouskaya
  Вішнеўскі|Вішнеўская|Вишневский|Вишневская|Vishneuski|Vishneuskaya
  Жукоўскі|Жукоўская|Жуковский|Жуковская|Zhukouski|Zhukouskaya
  Дубоўскі|Дубоўская|Дубовский|Дубовская|Dubouski|Dubouskaya
  Ляўкоўскі|Ляўкоўская|Левковский|Левковская|Liaukouski|Liaukouskaya
  Клімовіч|Клімовіч|Климович|Климович|Klimovich|Klimovich
  Мацкевіч|Мацкевіч|Мацкевич|Мацкевич|Matskevich|Matskevich
  Юркевіч|Юркевіч|Юркевич|Юркевич|Yurkevich|Yurkevich
  Лукашэвіч|Лукашэвіч|Лукашевич|Лукашевич|Lukashevich|Lukashevich
  Станкевіч|Станкевіч|Станкевич|Станкевич|Stankevich|Stankevich
  Гурыновіч|Гурыновіч|Гуринович|Гуринович|Hurynovich|Hurynovich
  Ждановіч|Ждановіч|Жданович|Жданович|Zhdanovich|Zhdanovich
  Каваленка|Каваленка|Коваленко|Коваленко|Kavalenka|Kavalenka
  Бандарэнка|Бандарэнка|Бондаренко|Бондаренко|Bandarenka|Bandarenka
  Шаўчэнка|Шаўчэнка|Шевченко|Шевченко|Shauchenka|Shauchenka
  Марчанка|Марчанка|Марченко|Марченко|Marchanka|Marchanka
  Жук|Жук|Жук|Жук|Zhuk|Zhuk
  Новік|Новік|Новик|Новик|Novik|Novik
  Мароз|Мароз|Мороз|Мороз|Maroz|Maroz
  Варабей|Варабей|Воробей|Воробей|Varabei|Varabei
  Сцяпанаў|Сцяпанава|Степанов|Степанова|Stsiapanau|Stsiapanava
  Нікіцін|Нікіціна|Никитин|Никитина|Nikitsin|Nikitsina
  Шыдлоўскі|Шыдлоўская|Шидловский|Шидловская|Shydlouski|Shydlouskaya
  Радзюк|Радзюк|Радюк|Радюк|Radziuk|Radziuk
`);

// be masculine | be feminine | ru masculine | ru feminine (patronymics are not part of name_latin)
export const PATRONYMICS = patronymics(`
  Аляксандравіч|Аляксандраўна|Александрович|Александровна
  Андрэевіч|Андрэеўна|Андреевич|Андреевна
  Сяргеевіч|Сяргееўна|Сергеевич|Сергеевна
  Мікалаевіч|Мікалаеўна|Николаевич|Николаевна
  Уладзіміравіч|Уладзіміраўна|Владимирович|Владимировна
  Віктаравіч|Віктараўна|Викторович|Викторовна
  Іванавіч|Іванаўна|Иванович|Ивановна
  Пятровіч|Пятроўна|Петрович|Петровна
  Васільевіч|Васільеўна|Васильевич|Васильевна
  Анатольевіч|Анатольеўна|Анатольевич|Анатольевна
  Міхайлавіч|Міхайлаўна|Михайлович|Михайловна
  Леанідавіч|Леанідаўна|Леонидович|Леонидовна
  Юр'евіч|Юр'еўна|Юрьевич|Юрьевна
  Генадзевіч|Генадзеўна|Геннадьевич|Геннадьевна
  Валер'евіч|Валер'еўна|Валерьевич|Валерьевна
  Паўлавіч|Паўлаўна|Павлович|Павловна
  Алегавіч|Алегаўна|Олегович|Олеговна
  Ігаравіч|Ігараўна|Игоревич|Игоревна
  Дзмітрыевіч|Дзмітрыеўна|Дмитриевич|Дмитриевна
  Яўгенавіч|Яўгенаўна|Евгеньевич|Евгеньевна
`);
