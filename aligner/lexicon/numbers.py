"""Numbers and dates as language-neutral keys: 二百七十 and '270' both give '#270'.

A number in a Chinese sentence and the same value in its English translation is
some of the best evidence an aligner has, if the keys are precise. Each
function returns the keys of the values a sentence mentions, in order, e.g.
'黑龙江省…在十一月五日召开…' → ['#11', '#5'] and '…on November 5th.' →
['#11', '#5'] (months count as their number).

Which keys are kept was measured on the gold beads of MAC-Dev (literary) and of
the Bible sample: for a key on one side of a gold bead, how often the same key
is on the other side of that bead ("same") against the mean over the other beads
of the document ("random"); the table is in docs/decisions.md, reproduced by
`python -m pytest tests/test_numbers.py -s -k evidence`, whose test asserts the policy.

A lone 一 and 'one' mostly mean 'a', 'together', 'the same': they match almost
as often in a random bead as in the right one, so they are dropped; 一 still
counts inside a number (一百), as an ordinal (第一) and in dates (一月, 初一).
'first' rarely finds its 第一 but almost never matches by chance, so it is kept.

Other decisions:
- an approximate range (三四天, 十七八岁, 二三十) gives both ends, '#3' '#4':
  translators write 'three or four days' as often as they pick one end.
- not numbers: bare 百 千 万 亿 (百姓, 千万, 万岁), 万一 (in case), 十分 (very,
  but 十分钟 is ten minutes), 一一 (one by one), 十几 / 几十 (a dozen or so, dozens),
  digit strings that are not years (七七年), common idioms (乱七八糟, 七嘴八舌, 四面八方);
  两 after a numeral is the tael (三两银子 → 3).
- digit-by-digit only before 年 and with at least three digits (一九五四年 → 1954).
- 点 is not read as a decimal point (三点五十分 is 3:50, 一点 'a bit'); decimals in
  technical text are Arabic (3.5) and are read as such.
- English: 'May' is a month only next to digits; King James numbers ('sixty and
  five', 'seven and twentieth', 'an hundred', 'sevenfold') are read; a bare
  'hundred' without 'a'/'an' or a number before it is not counted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# ---------------------------------------------------------------- Chinese

_NORMALIZE = str.maketrans("０１２３４５６７８９．，％萬億兩", "0123456789.,%万亿两")
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = "十百千万亿"
_MAX_DIGITS = 20  # longer digit strings are ids or noise, and int→str has a length limit
_YEAR_DIGITS = "零〇一二三四五六七八九"
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿廿卅壹贰叁肆伍陆柒捌玖拾佰仟"
_ZH_TOKEN = re.compile(
    r"(?P<frac>[十百千万]分之)"  # 百分之三十: the 百 is not a number, 三十 is
    r"|(?P<arabic>[0-9]+(?:[.,][0-9]+)*)"
    rf"|(?P<cn>[{_CN_CHARS}]+)"
)
# Words and idioms whose numerals are not counts (the common ones; a lone 一 is dropped anyway).
_IDIOMS = re.compile(
    "万一|一一|万万|千万|十分(?!钟)|十字|三三两两|一五一十|七七八八|乱七八糟|七嘴八舌|七上八下|七手八脚|"
    "横七竖八|七零八落|四面八方|五颜六色|五花八门|三心二意|接二连三|独一无二|千方百计|千辛万苦|"
    "千军万马|千变万化|万水千山|千丝万缕|三番五次|三言两语|三长两短|一干二净|一清二楚|九牛一毛|"
    "十全十美|百发百中|不三不四|丢三落四|颠三倒四|说三道四|半斤八两|四平八稳|八九不离十"
)


def _arabic_key(text: str) -> str | None:
    """'1,000' → '#1000', '3.50' → '#3.5', '1954' → '#1954'."""
    if len(text) > _MAX_DIGITS:
        return None
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", text):
        text = text.replace(",", "")
    elif "," in text:
        return None  # '3,5' in a list; the caller splits it
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    if d == d.to_integral_value():
        return f"#{int(d)}"
    return "#" + format(d.normalize(), "f")


def _value_key(value: float | int) -> str | None:
    """1954 → '#1954', 3.5 → '#3.5'; None for values no text would write in digits."""
    try:
        if value == int(value):
            return f"#{int(value)}" if abs(value) < 10**_MAX_DIGITS else None
        return "#" + format(Decimal(str(value)).normalize(), "f")
    except (ValueError, OverflowError, ArithmeticError):
        return None


_CN_VALUE = {**_DIGIT, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_TENS = {"廿": 20, "卅": 30}


@lru_cache(maxsize=4096)
def _cn_value(run: str) -> int | None:
    """Value of a numeral run with units ('二百七十', '两万五', '一千零五'); None if malformed.

    Our own reader rather than cn2an's: the grammar is small, and importing cn2an costs
    start-up time (docs/decisions.md; cn2an still checks this reader in the tests).
    """
    total = section = 0
    digit: int | None = None
    last_unit = 1
    for ch in run:
        if ch in _CN_VALUE:
            if digit not in (None, 0):
                return None  # two digits in a row ('一二') are not a value in this grammar
            digit = _CN_VALUE[ch]
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            if unit >= last_unit and section:
                return None  # '百十' or '十百': units must fall
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch in _CN_BIG:
            big = _CN_BIG[ch]
            value = section + (digit or 0)
            if big == 10**8:
                total = (total + value) * big
            else:
                total += value * big
            section, digit, last_unit = 0, None, big
        elif ch in _CN_TENS:
            if section or digit is not None:
                return None
            section, last_unit = _CN_TENS[ch], 10
        else:
            return None
    if digit:
        # a digit after a unit of 100 or more is abbreviated: 两万五 = 25,000, 三百五 = 350
        section += digit * (last_unit // 10 if last_unit >= 100 and run[-2] not in "零〇" else 1)
    return total + section


def _adjacent(a: str, b: str) -> bool:
    return a in _DIGIT and b in _DIGIT and _DIGIT[b] == _DIGIT[a] + 1 and _DIGIT[a] > 0


def _approx_values(run: str) -> list[int | float] | None:
    """Both ends of an approximate range: 三四 → 3, 4; 十七八 → 17, 18; 二三十 → 20, 30."""
    for i in range(len(run) - 1):
        if _adjacent(run[i], run[i + 1]):
            head, tail = run[:i], run[i + 2:]
            if tail and tail[0] not in _UNITS:
                return None
            low, high = _cn_value(head + run[i] + tail), _cn_value(head + run[i + 1] + tail)
            if low is not None and high is not None:
                return [low, high]
            return None
    return None


def _cn_items(run: str, before: str, after: str) -> list[tuple[str, str]]:
    """(kind, key) for one maximal run of Chinese numerals with its neighbours."""
    if "几" in (before, after[:1]):
        return []  # 十几 'a dozen or so', 几十 'dozens' are not ten
    if len(run) > 1 and run[-1] == "两" and (run != "一两" or after[:1] in ("银", "金")):
        run, after = run[:-1], "两" + after  # 三两银子, 二十两: 两 is the tael; 一两天 is 1-2
    if run in _UNITS[1:]:
        return []  # 百姓, 千万, 万岁
    if before == "第" or (before == "头" and run == "一"):  # 第三, 头一个
        return _keyed("cn_ordinal", [_cn_value(run)])
    if after[:1] == "年" and len(run) >= 3 and all(c in _YEAR_DIGITS for c in run):
        return [("cn_year", "#" + "".join(str(_DIGIT[c]) for c in run))]  # 一九五四年
    if after[:1] in ("月", "号") or before in ("月", "初"):
        kind = "cn_date"  # 十一月五日, 初一; 一日 without a month is 'one day'
    elif len(run) == 1:
        kind = {"一": "cn_one", "二": "cn_two", "两": "cn_two"}.get(run, "cn_single")
    else:
        kind = "cn_compound"
    if all(c in _DIGIT for c in run) and len(run) >= 2:
        if len(run) == 2 and _adjacent(run[0], run[1]):
            return _keyed("cn_approx", _approx_values(run) or [])
        return []  # 一一, 七零八落: not a number
    if not any(_adjacent(a, b) for a, b in zip(run, run[1:])):
        return _keyed(kind, [_cn_value(run)])
    return _keyed("cn_approx", _approx_values(run) or [])


def _keyed(kind: str, values: list[int | float | None]) -> list[tuple[str, str]]:
    keys = [_value_key(v) for v in values if v is not None]
    return [(kind, k) for k in keys if k]


def zh_items(sentence: str) -> list[tuple[str, str]]:
    """Every number in a Chinese sentence as (kind, key), before any policy: for measuring."""
    text = sentence.translate(_NORMALIZE)
    idioms = [m.span() for m in _IDIOMS.finditer(text)]
    items: list[tuple[str, str]] = []
    for m in _ZH_TOKEN.finditer(text):
        if idioms and any(a <= m.start() < b for a, b in idioms):
            continue
        if m.lastgroup == "arabic":
            for part in [m.group()] if _arabic_key(m.group()) else m.group().split(","):
                key = _arabic_key(part)
                if key:
                    items.append(("arabic", key))
        elif m.lastgroup == "cn":
            s, e = m.span()
            items.extend(_cn_items(m.group(), text[max(0, s - 1):s], text[e:e + 2]))
    return items


# ---------------------------------------------------------------- English

_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(), 1)}
_ORDINALS.update({w: 10 * i for i, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 2)})
_ORDINALS.update({"hundredth": 100, "thousandth": 1000, "millionth": 10**6})
_MONTHS = {w: i for i, w in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
_MONTHS.update({"Sept": 9, "Jan": 1, "Feb": 2, "Aug": 8, "Oct": 10, "Nov": 11, "Dec": 12})
_SCALE_ORDINALS = {"hundredth": 100, "thousandth": 1000, "millionth": 10**6}
_NUMBER_WORDS = {**_ONES, **_TENS, **_SCALES, **_ORDINALS}
_WORD_ALTERNATIVES = "|".join(sorted([*_NUMBER_WORDS, *(m.lower() for m in _MONTHS)], key=len, reverse=True))
# Only tokens that can be part of a number are matched, case-sensitively on the
# lower-cased sentence: an IGNORECASE pattern or a scan of every word is slower (docs/decisions.md).
_EN_TOKEN = re.compile(
    r"(?P<arabic>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?:st|nd|rd|th|s)?(?![a-z0-9])"
    rf"|(?<![a-z])(?=[a-z])(?P<word>(?:{_WORD_ALTERNATIVES})(?:fold)?)(?![a-z])"
)
# Cheap pre-check: most sentences have no number at all, and splitting into words
# plus a set test costs a fifth of the full pattern above.
_WORD_OR_DIGIT = re.compile(r"[a-z]+|[0-9]")
_CANDIDATES = frozenset(
    [*_NUMBER_WORDS, *(w + "fold" for w in _NUMBER_WORDS), *(m.lower() for m in _MONTHS), *"0123456789"]
)
_JOINED = re.compile(r"[ \t\-]*")  # 'twenty-one', 'two hundred'
_JOINED_BY_AND = re.compile(r"[ \t]+and[ \t]+")  # 'two hundred and seventy'
_ARTICLE = re.compile(r"(?<![a-z])an?[ \t]+$")  # 'a hundred', 'an hundred'


def _word_value(words: list[str]) -> int:
    """Value of a run of number words: ['two', 'hundred', 'seventy'] → 270."""
    total = current = 0
    for w in words:
        v = _NUMBER_WORDS[w]
        if w in _SCALES or w in _SCALE_ORDINALS:
            if v == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * v
                current = 0
        else:
            current += v
    return total + current


def _continues(prev: str, word: str, via_and: bool = False) -> bool:
    """Whether `word` extends the number that ended with `prev` (so 'one two' stays two numbers)."""
    if word in _SCALES or word in _SCALE_ORDINALS:
        return prev not in _ORDINALS
    if prev in _SCALES or (via_and and prev in _SCALE_ORDINALS):
        return True  # 'two hundred seventy', 'six hundredth and first'
    if prev in _TENS:
        return 0 < _NUMBER_WORDS[word] < 10  # 'twenty-one', 'twenty-first', 'sixty and five'
    # 'seven and twenty' (King James style)
    return via_and and 0 < _NUMBER_WORDS[prev] < 10 and prev not in _ORDINALS and _NUMBER_WORDS[word] in _TENS.values()


def _word_kind(words: list[str]) -> str:
    if words[-1] in _ORDINALS:
        return "en_first" if words == ["first"] else "en_ordinal"
    if words == ["one"]:
        return "en_one"
    if words == ["two"]:
        return "en_two"
    return "en_words"


def en_items(sentence: str) -> list[tuple[str, str]]:
    """Every number in an English sentence as (kind, key), before any policy: for measuring."""
    lower = sentence.lower()
    if len(lower) != len(sentence):  # a few non-ASCII letters change length when lowered
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
    if _CANDIDATES.isdisjoint(_WORD_OR_DIGIT.findall(lower)):
        return []
    items: list[tuple[str, str]] = []
    run: list[str] = []
    prev_end = -1

    def flush() -> None:
        if run:
            items.append((_word_kind(run), f"#{_word_value(run)}"))
            run.clear()

    for m in _EN_TOKEN.finditer(lower):
        if m.lastgroup == "arabic":
            flush()
            key = _arabic_key(m.group("arabic"))
            if key:
                items.append(("arabic", key))
            prev_end = m.end()
            continue
        word = m.group("word")
        low = _number_word(word)
        if low is None:  # a month
            flush()
            original = sentence[m.start():m.end()]
            if original in _MONTHS and (original != "May" or _next_to_digits(lower, m)):
                items.append(("en_month", f"#{_MONTHS[original]}"))
            prev_end = m.end()
            continue
        if run:
            via_and = _JOINED_BY_AND.fullmatch(lower, prev_end, m.start()) is not None
            joined = via_and or _JOINED.fullmatch(lower, prev_end, m.start()) is not None
            if not (joined and _continues(run[-1], low, via_and)):
                flush()
        if run or low not in _SCALES or _ARTICLE.search(lower, max(0, m.start() - 6), m.start()):
            run.append(low)  # a bare 'hundred' / 'thousand' is not counted ('a hundred' is)
        prev_end = m.end()
    flush()
    return items


def _number_word(word: str) -> str | None:
    """The number word a token is ('Twenty' → 'twenty', 'sevenfold' → 'seven'), or None."""
    low = word.lower()
    if low.endswith("fold"):
        low = low[:-4]
    return low if low in _NUMBER_WORDS else None


def _next_to_digits(lower: str, m: re.Match[str]) -> bool:
    """Whether digits stand right before or after a match ('May 5', '5 May')."""
    after = re.match(r"[ \t]*[0-9]", lower[m.end():m.end() + 3])
    return bool(after or re.search(r"[0-9](?:st|nd|rd|th)?[ \t]*$", lower[max(0, m.start() - 6):m.start()]))


# ---------------------------------------------------------------- policy

# Kinds of key that are good evidence (see the table at the top); cn_one and en_one are not.
ZH_KINDS = frozenset({"arabic", "cn_ordinal", "cn_date", "cn_two", "cn_single", "cn_compound", "cn_year", "cn_approx"})
EN_KINDS = frozenset({"arabic", "en_ordinal", "en_first", "en_two", "en_words", "en_month"})


def zh_number_keys(sentence: str) -> list[str]:
    """Keys ('#270') of the numbers and dates in a Chinese sentence that are good alignment evidence."""
    return [key for kind, key in zh_items(sentence) if kind in ZH_KINDS]


def en_number_keys(sentence: str) -> list[str]:
    """Keys ('#270') of the numbers, number words and months in an English sentence."""
    return [key for kind, key in en_items(sentence) if kind in EN_KINDS]
