"""A light English stemmer shared by dictionary glosses and English tokens.

It only has to map the inflections of one word to the same key on both sides
(plans/planned/planning -> 'plan', went -> 'go', colour -> 'color'), not to produce
real words: a final silent e is dropped everywhere so that use/used/using all give
'us'. Gloss words and text tokens go through the same function, so only the
consistency across inflections of a word matters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aligner.lexicon.stopwords import EN_NUMBER_WORDS, EN_STOPWORDS

_IRREGULAR_TEXT = """
went:go gone:go goes:go did:do done:do does:do had:have has:have made:make said:say says:say
knew:know known:know thought:think took:take taken:take saw:see seen:see came:come gave:give given:give
found:find told:tell became:become felt:feel brought:bring began:begin begun:begin kept:keep held:hold
wrote:write written:write stood:stand heard:hear meant:mean met:meet ran:run paid:pay sat:sit
spoke:speak spoken:speak lain:lie led:lead grew:grow grown:grow lost:lose fell:fall fallen:fall
sent:send built:build understood:understand drew:draw drawn:draw broke:break broken:break spent:spend
risen:rise drove:drive driven:drive bought:buy wore:wear worn:wear chose:choose chosen:choose
sought:seek threw:throw thrown:throw caught:catch dealt:deal won:win forgot:forget forgotten:forget
sold:sell fought:fight taught:teach ate:eat eaten:eat sang:sing sung:sing drank:drink drunk:drink
swam:swim swum:swim flew:fly flown:fly hid:hide hidden:hide shook:shake shaken:shake woke:wake
woken:wake stole:steal stolen:steal rode:ride ridden:ride bitten:bite beaten:beat blew:blow blown:blow
fed:feed hung:hang shot:shoot slept:sleep swept:sweep wept:weep dug:dig stuck:stick struck:strike
swung:swing tore:tear torn:tear froze:freeze frozen:freeze forgave:forgive forgiven:forgive lent:lend
bent:bend lit:light slid:slide burnt:burn dreamt:dream learnt:learn smelt:smell spelt:spell
spilt:spill knelt:kneel crept:creep fled:flee sank:sink sunk:sink shone:shine sprang:spring
sprung:spring forbade:forbid forbidden:forbid arose:arise arisen:arise awoke:awake awoken:awake
withdrew:withdraw withdrawn:withdraw overcame:overcome undertook:undertake undertaken:undertake
mistook:mistake mistaken:mistake rang:ring rung:ring stank:stink wove:weave woven:weave
men:man women:woman children:child feet:foot teeth:tooth geese:goose mice:mouse oxen:ox
lives:life wives:wife knives:knife wolves:wolf halves:half selves:self shelves:shelf thieves:thief
loaves:loaf calves:calf leaves:leaf
better:good best:good worse:bad worst:bad elder:old eldest:old older:old oldest:old
bigger:big biggest:big dying:die lying:lie tying:tie
grey:gray tyre:tire plough:plow programme:program mould:mold moustache:mustache storey:story
sceptical:skeptical defence:defense offence:offense licence:license practise:practice
jewellery:jewelry aluminium:aluminum kerb:curb gaol:jail cheque:check pyjamas:pajamas
"""
IRREGULAR: dict[str, str] = dict(pair.split(":") for pair in _IRREGULAR_TEXT.split())

# -ly words that are not adverbs: stripping would merge them with unrelated stems.
_LY_KEEP = frozenset(
    """family reply supply apply early only belly rally ally lily jelly italy fly holy ugly july assembly
    anomaly monopoly comply multiply imply bully silly hilly curly woolly jolly folly melancholy
    homily lonely lovely friendly elderly likely unlikely daily weekly monthly yearly oily""".split()
)
# Singular words ending in -s.
_S_KEEP = frozenset(
    """news series species physics mathematics politics economics ethics athletics lens canvas atlas bias
    chaos cosmos thanks measles diabetes""".split()
)
_VOWELS = set("aeiouy")
_DOUBLE_KEEP = set("lsz")  # 'fall', 'miss', 'buzz' keep their double letter
# letters, accented ones too (Lü, café), but not Han or Hangul
_LETTERS = r"[^\W\d_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
_WORD = re.compile(_LETTERS + r"(?:['-]" + _LETTERS + ")*")


def _has_vowel(s: str) -> bool:
    return any(c in _VOWELS for c in s)


def _undouble(s: str) -> str:
    if len(s) >= 3 and s[-1] == s[-2] and s[-1] not in _VOWELS and s[-1] not in _DOUBLE_KEEP:
        return s[:-1]
    return s


def _strip_once(w: str) -> str:
    """Remove one inflectional suffix, or return w unchanged."""
    n = len(w)
    if w in _S_KEEP:
        return w
    if n >= 5 and w.endswith("ies"):
        return w[:-3] + "y"
    if n >= 4 and w.endswith("es") and (w[-3] in "sxz" or w[-4:-2] in ("ch", "sh")):
        return w[:-2]
    if n >= 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    if n >= 5 and w.endswith("ied"):
        return w[:-3] + "y"
    if n >= 4 and w.endswith("ed") and not w.endswith("eed") and _has_vowel(w[:-2]):
        return _undouble(w[:-2])
    if n >= 5 and w.endswith("ing") and _has_vowel(w[:-3]):
        return _undouble(w[:-3])
    if n >= 6 and w.endswith("ly") and w not in _LY_KEEP:
        return w[:-3] + "y" if w.endswith("ily") else w[:-2]
    return w


def _british(w: str) -> str:
    """American spelling of British endings; applied to text and glosses alike."""
    w = re.sub(r"is(e|es|ed|ing|ation|ations)$", r"iz\1", w) if len(w) >= 5 else w
    if len(w) >= 6:
        w = re.sub(r"our(s|ed|ing|ite|ites|able)?$", lambda m: "or" + (m.group(1) or ""), w)
    if len(w) >= 5:
        w = re.sub(r"([tb])re(s?)$", r"\1er\2", w)
    return w


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Key of one lowercase English word: inflection, British spelling and silent e removed."""
    w = word.replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'"):
        w = w[:-1]
    w = IRREGULAR.get(w, w)
    w = _british(w)
    w = IRREGULAR.get(w, w)
    for _ in range(3):
        s = _strip_once(w)
        if s == w:
            break
        w = IRREGULAR.get(s, s)
    if len(w) >= 3 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]
    return w


@lru_cache(maxsize=200_000)  # CC-CEDICT's glosses hold 776,000 tokens, 53,000 distinct
def en_key(token: str) -> str | None:
    """Key of an English token: lowercase stem; None for stopwords, number words,
    numbers and punctuation. Hyphenated tokens keep their parts joined
    ('state-owned' -> 'stat-own'); gloss keys hold both that and the parts."""
    w = token.lower().replace("\u2019", "'")
    if not _WORD.fullmatch(w) or w in EN_STOPWORDS or w in EN_NUMBER_WORDS:
        return None
    if w.endswith("'s"):
        w = w[:-2]
        if w in EN_STOPWORDS:
            return None
    if "-" in w:
        return "-".join(stem(p) for p in w.split("-"))
    k = stem(w)
    return k if len(k) >= 2 else None


def phrase_keys(text: str, stop: frozenset[str] = frozenset()) -> list[str]:
    """Keys of the words of an English phrase (a dictionary gloss), in order, without
    repeats; a hyphenated word gives its joined key and the keys of its parts."""
    out: dict[str, None] = {}
    for tok in _WORD.findall(text.lower().replace("\u2019", "'")):
        if tok in stop:
            continue
        k = en_key(tok)
        if k is None:
            continue
        out[k] = None
        if "-" in k:
            for part in tok.split("-"):
                pk = None if part in stop else en_key(part)
                if pk:
                    out[pk] = None
    return list(out)
