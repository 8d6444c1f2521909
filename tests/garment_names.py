"""Garment piece, size and style names as pattern makers write them, per language, and the
Windows code page their CAD writes them in (the corpus of ``test_import_encoding.py`` and of
``encoding_table.py``, which measures how kitcut reads them).

Sizes are mostly letters or numbers in every country (S, M, 44, 170/92A); the sizes here are
the ones spelled in the language. Romanian is written as cp1250 writes it (ş ţ with cedilla),
Vietnamese as cp1258 does (see ``encoded_dxf.as_cp1258``).
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "Language"]

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    codec: str  # the Windows code page its CAD writes
    codepage: str  # the $DWGCODEPAGE value of that code page
    pieces: tuple[str, ...]
    sizes: tuple[str, ...]
    styles: tuple[str, ...]


def _lang(code, codec, codepage, pieces, sizes, styles) -> Language:
    return Language(code, codec, codepage, tuple(pieces.split("|")), tuple(sizes.split("|")),
                    tuple(styles.split("|")))


LANGUAGES = {lang.code: lang for lang in (
    _lang("zh-hans", "gbk", "ANSI_936",
          "前片|后片|袖子|领子|口袋|门襟|腰头|前中片|后育克|"
          "袖克夫|挂面|过肩|下摆|侧片",
          "小号|中号|大号|加大号",
          "女式衬衫|连衣裙|男式夹克"),
    _lang("zh-hant", "big5", "ANSI_950",
          "前片|後片|袖子|領子|口袋|門襟|腰頭|前中片|後育克|"
          "袖克夫|掛面|過肩|下擺|側片",
          "小號|中號|大號|加大號",
          "女裝襯衫|連身裙|男裝夾克"),
    _lang("ja", "cp932", "ANSI_932",
          "前身頃|後身頃|袖|衿|ポケット|見返し|カフス|ヨーク|"
          "前立て|台衿|脇布|裾",
          "小|中|大|特大",
          "ブラウス|ワンピース|紳士シャツ"),
    _lang("ko", "cp949", "ANSI_949",
          "앞판|뒷판|소매|카라|주머니|커프스|요크|안단|앞중심|"
          "허리밴드|밑단|옆판|칼라밴드|플라켓",
          "소|중|대|특대",
          "블라우스|원피스|남성셔츠|여성자켓"),
    _lang("de", "cp1252", "ANSI_1252",
          "Vorderteil|Rückenteil|Ärmel|Kragen|Manschette|Tasche|Passe|"
          "Bund|Vordere Mitte|Beleg|Knopfleiste|Seitenteil",
          "Größe 38|Größe 40|Übergröße",
          "Damenbluse|Kleid|Herrenhemd"),
    _lang("fr", "cp1252", "ANSI_1252",
          "Devant|Dos|Manche|Col|Poignet|Poche arrière|Empiècement|"
          "Ceinture|Parementure|Patte de boutonnage|Côté|Pied de col",
          "Taille unique|Très grand",
          "Chemisier|Robe|Chemise homme"),
    _lang("es", "cp1252", "ANSI_1252",
          "Delantero|Espalda|Manga|Cuello|Puño|Bolsillo|Canesú|Pretina|"
          "Vista|Tapeta|Costado|Pie de cuello",
          "Pequeño|Mediano|Grande",
          "Blusa|Vestido|Camisa de caballero"),
    _lang("ru", "cp1251", "ANSI_1251",
          "Перед|Спинка|Рукав|Воротник|Манжета|Карман|Кокетка|Подборт|"
          "Пояс|Стойка|Клапан|Бочок|Средний шов",
          "Рост 170|Рост 176",
          "Блузка|Платье|Рубашка мужская"),
    _lang("uk", "cp1251", "ANSI_1251",
          "Пілочка|Спинка|Рукав|Комір|Манжета|Кишеня|Кокетка|Підборт|"
          "Пояс|Обшивка|Стійка|Бочок",
          "Зріст 170|Зріст 176",
          "Блуза|Сукня|Сорочка чоловіча"),
    _lang("bg", "cp1251", "ANSI_1251",
          "Предница|Гръб|Ръкав|Яка|Маншет|Джоб|Платка|Колан|Подлепка|"
          "Страница|Столче",
          "Малък|Среден|Голям",
          "Блуза|Рокля|Мъжка риза"),
    _lang("pl", "cp1250", "ANSI_1250",
          "Przód|Tył|Rękaw|Kołnierz|Mankiet|Kieszeń|Karczek|Pasek|Plisa|"
          "Odszycie|Stójka|Bok|Środek przodu",
          "Mały|Średni|Duży",
          "Bluzka damska|Sukienka|Koszula męska"),
    _lang("cs", "cp1250", "ANSI_1250",
          "Předek|Zadní díl|Rukáv|Límec|Manžeta|Kapsa|Sedlo|Pásek|Légy|"
          "Podsádka|Stojáček|Bok",
          "Malá|Střední|Velká",
          "Halenka|Šaty|Pánská košile"),
    _lang("hu", "cp1250", "ANSI_1250",
          "Eleje|Hátrész|Ujj|Gallér|Mandzsetta|Zseb|Vállrész|Derékpánt|"
          "Gomboláspánt|Zsebfedő|Oldalrész|Elejeközép",
          "Kicsi|Közepes|Nagy",
          "Női blúz|Ruha|Férfi ing"),
    _lang("ro", "cp1250", "ANSI_1250",
          "Faţă|Spate|Mânecă|Guler|Manşetă|Buzunar|Platcă|Cordon|"
          "Bentiţă|Pervaz|Clapă|Lateral",
          "Mic|Mediu|Mare",
          "Bluză|Rochie|Cămaşă bărbătească"),
    _lang("tr", "cp1254", "ANSI_1254",
          "Ön beden|Arka beden|Kol|Yaka|Manşet|Cep|Pat|Bel bandı|"
          "Cep kapağı|Yaka ayağı|Ön ortası|Etek ucu|Roba",
          "Küçük|Orta|Büyük",
          "Kadın bluz|Gömlek|Elbise"),
    _lang("el", "cp1253", "ANSI_1253",
          "Μπροστά|Πλάτη|Μανίκι|Γιακάς|Μανσέτα|Τσέπη|Ζώνη|Πατιλέτα|"
          "Ποδόγυρος|Καβάλος|Πλαϊνό|Τραβέρσα",
          "Μικρό|Μεσαίο|Μεγάλο",
          "Μπλούζα|Φόρεμα|Ανδρικό πουκάμισο"),
    _lang("vi", "cp1258", "ANSI_1258",
          "Thân trước|Thân sau|Tay áo|Cổ áo|Măng sét|Túi|Nẹp áo|"
          "Cạp quần|Đô áo|Lá cổ|Chân cổ|Gấu áo",
          "Nhỏ|Vừa|Lớn",
          "Áo sơ mi|Váy liền|Áo khoác nam"),
    _lang("lt", "cp1257", "ANSI_1257",
          "Priekis|Nugara|Rankovė|Apykaklė|Rankogalis|Kišenė|Juosmuo|"
          "Kokėtė|Užsegimas|Šonas|Apvadas",
          "Mažas|Vidutinis|Didelis",
          "Palaidinė|Suknelė|Vyriški marškiniai"),
    _lang("lv", "cp1257", "ANSI_1257",
          "Priekša|Mugura|Piedurkne|Apkakle|Aproce|Kabata|Josta|Koķete|"
          "Aizdare|Sāns|Apdare",
          "Mazs|Vidējs|Liels",
          "Blūze|Kleita|Vīriešu krekls"),
    _lang("th", "cp874", "ANSI_874",
          "ตัวหน้า|ตัวหลัง|แขนเสื้อ|ปกเสื้อ|กระเป๋า|ขอบเอว|สาบเสื้อ|"
          "ปลายแขน|ผ้ากุ๊น|บ่าเสื้อ|ชายเสื้อ",
          "เล็ก|กลาง|ใหญ่",
          "เสื้อเชิ้ต|กระโปรง|เสื้อเบลาส์สตรี"),
    _lang("he", "cp1255", "ANSI_1255",
          "חזית|גב|שרוול|צווארון|כיס|חפת|כותפת|חגורה|פס כפתורים|צד|"
          "בטנה|שוליים",
          "קטן|בינוני|גדול",
          "חולצה|שמלה|חולצת גברים"),
    _lang("ar", "cp1256", "ANSI_1256",
          "أمام|ظهر|كم|ياقة|جيب|أسورة|نير|حزام|مرد|جانب|"
          "قاعدة الياقة|ذيل",
          "صغير|متوسط|كبير",
          "بلوزة|فستان|قميص رجالي"),
)}
