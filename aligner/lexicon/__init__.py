"""Lexical evidence for alignment: which English words may translate a Chinese word.

- `load_lexicon()` -> `Lexicon` with `zh_keys(word)` and `en_key(token)` (CC-CEDICT, stemmed keys)
- `pinyin_key(word)`, `match_names(zh_words, en_sentences)` for transliterated names
- `stem(word)`, `en_key(token)` the English key function on its own

Number keys such as "#270" come from `aligner.lexicon.numbers`, punctuation cues from `aligner.lexicon.punct`.
"""

from aligner.lexicon.cedict import Lexicon, load_lexicon
from aligner.lexicon.names import match_names, pinyin_key
from aligner.lexicon.stem import en_key, stem

__all__ = ["Lexicon", "load_lexicon", "match_names", "pinyin_key", "en_key", "stem"]
