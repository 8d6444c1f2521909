"""The keys of a piece's label texts, in the languages pattern makers write them.

AAMA/ASTM files write their keys in English (``Piece Name:``, ``Size:``, ``Quantity:``), but a
plain DXF is labelled as its drawing program or its pattern maker writes: ``Teil: Vorderteil``,
``Größe: 38``, ``Anzahl: 2``; ``纸样名称：前片``, ``号型：M``, ``数量：2``. Read with English keys
only, such a pattern lost every name and every quantity (each piece cut once, the pair of fronts
a single front).

:func:`field_of_key` gives the field a key names. A key is matched without regard to case,
accents, spaces, dots, hyphens and underscores (``Quantité``, ``QTE.``, ``Кол-во``).
"""

from __future__ import annotations

import unicodedata

__all__ = ["KEYS", "field_of_key", "fold_text", "normal_key"]

_NAME = """piecename name piece part partname patternpiece designation
    teil teilname schnittteil bauteil bezeichnung teilbezeichnung teilebezeichnung benennung
    pieza nombre nombrepieza nombredepieza denominación designación nom nompiece nomdepiece désignation
    pezzo nome nomepezzo nomedelpezzo denominazione peca nomepeca nomedapeca denominação designação
    parca parcaadı parcaadi onderdeel naam deel benaming czesc nazwa nazwaczesci деталь название
    наименование назва найменування назвадеталі κομμάτι τεμάχιο όνομα ονομασία
    裁片 裁片名 裁片名称 纸样 纸样名 纸样名称 样片 样片名 样片名称 部件 部件名 部件名称 名称
    名字 衣片 衣片名称 紙樣名稱 裁片名稱 品名 パーツ パーツ名 部品 部品名 パターン名 名前 파트 파트명 패턴명
    명칭 이름 tên têndetail tênchitiết chitiết"""
_SIZE = """size sizename piecesize sz grosse groesse gr talla taille taglia tamanho tam beden maat rozmiar
    velikost размер розмір μέγεθος 尺码 尺寸 号型 码 码数 规格 尺碼 號型 規格 サイズ 사이즈"""
_QUANTITY = """quantity qty cutquantity copies pcs pieces numberofpieces noofpieces piececount count
    anzahl menge stuck stueck stk stuckzahl stueckzahl anzahlteile cantidad cant piezas
    numerodepiezas cantidaddepiezas quantite qte nbpieces nombredepieces quantita qta pezzi
    numeropezzi quantidade qtd qtde peças numerodepeças adet parcasayısı aantal stuks aantalstuks
    ilosc liczba sztuk liczbasztuk количество колво штук количестводеталей колводеталей кількість
    кількістьдеталей ποσότητα τεμάχια 数量 份数 片数 裁片数 裁数
    裁剪数量 裁片数量 件数 數量 片數 枚数 수량 매수 sốlượng"""
_MATERIAL = """material fabric stoff tela tissu matiere tessuto tecido kumas stof materiał материал
    ткань матеріал тканина ύφασμα υλικό 面料 布料 材料 物料 布种 素材 生地 원단"""
_CATEGORY = """category kategorie categoria categorie kategori kategoria категория категорія κατηγορία
    类别 分类 類別 分類 カテゴリ 분류"""
_STYLE = """stylename style modell modelo modele modello model модель μοντέλο 款号 款式 款式名 款式名称
    款號 品番 スタイル 스타일"""

#: Normalised key (:func:`normal_key`) -> field name.
KEYS: dict[str, str] = {}


def fold_text(s: str) -> str:
    """``s`` without case or accents, full-width forms as ASCII (``２枚`` is ``2枚``): the form
    label keys and the words of cut labels (:mod:`.cut_labels`) are matched in.

    >>> fold_text("Крой 2 ШТ."), fold_text("Çift"), fold_text("２장")
    ('крои 2 шт.', 'cift', '2장')
    """
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", s).casefold())
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def normal_key(key: str) -> str:
    """``key`` without case, accents (:func:`fold_text`), spaces, dots, hyphens or underscores:
    ``Quantité`` and ``QTE.`` are ``quantite`` and ``qte``, ``Größe`` is ``grosse``, ``Кол-во``
    is ``колво``.

    >>> [normal_key(k) for k in ("Piece Name", "Quantité", "Größe", "Кол-во", "纸样 名称")]
    ['piecename', 'quantite', 'grosse', 'колво', '纸样名称']
    """
    return "".join(c for c in fold_text(key) if c not in " \t._-·'’")


for _field, _words in (("name", _NAME), ("size", _SIZE), ("quantity", _QUANTITY),
                       ("material", _MATERIAL), ("category", _CATEGORY), ("style", _STYLE)):
    for _w in _words.split():
        KEYS.setdefault(normal_key(_w), _field)
# "block": the block that draws a plain piece, its name when it has no other
KEYS.update({"units": "units", "annotation": "annotation", "area": "area", "samplesize": "sample_size",
             "graderuletable": "rule_table", "block": "block"})


def field_of_key(key: str) -> str | None:
    """The field a label's key names (``name``, ``size``, ``quantity``, ``material``,
    ``category``, ``style``...), or ``None``.

    >>> field_of_key("Teil"), field_of_key("号型"), field_of_key("Cantidad"), field_of_key("Note")
    ('name', 'size', 'quantity', None)
    """
    return KEYS.get(normal_key(key))
