"""aligner: sentence alignment of Chinese texts with their English translations.

The Python API is two functions, each returning the alignment as a list of `Pair`s
(source text, translation, score, and the 0-based indices of their sentences):

    >>> import aligner
    >>> pairs = aligner.align(chinese_text, english_text)          # two texts
    >>> pairs = aligner.align_sentences(chinese_list, english_list)  # two lists of sentences

Either side may be the Chinese one. Bad input (no Chinese or English text, both sides in
one language) raises `aligner.AlignerError`. Importing this package loads nothing else: the
aligner itself is imported by the first call.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing would double the cost of `import aligner`
if TYPE_CHECKING:
    from aligner.document import Pair, Text
    from aligner.plumbing.errors import AlignerError

__version__ = "0.1.0"  # the distribution's (zh-en-aligner on the package index; pyproject.toml)

__all__ = ["AlignerError", "Pair", "align", "align_sentences", "__version__"]


def align(source: str, translation: str, *, src_lang: str | None = None, tgt_lang: str | None = None,
          embed: bool = False) -> list[Pair]:
    """Align a text with its translation, Chinese to English or English to Chinese, sentence
    by sentence, as `aligner align SOURCE TRANSLATION` aligns two files: paragraphs are
    separated by blank lines (or one paragraph a line), sentences are found in them.

    Returns every bead in order as a `Pair`: a sentence left without a counterpart is a
    pair with one side empty. `src_lang`/`tgt_lang` force the language codes (default:
    detected, e.g. zh-CN, zh-TW, en-US); `embed` adds sentence embeddings (needs the
    `embed` extra).
    """
    from aligner.readers.load import load_text

    _check_embed(embed)
    return _pairs(load_text("source", src_lang, text=source), load_text("translation", tgt_lang, text=translation),
                  embed)


def align_sentences(source: list[str], translation: list[str], *, src_lang: str | None = None,
                    tgt_lang: str | None = None, embed: bool = False) -> list[Pair]:
    """Align two lists of sentences (a text and its translation, split already), used as
    given: `Pair.src_idx` are indices into `source`, `Pair.tgt_idx` into `translation`.
    Otherwise as `align`."""
    from aligner.readers.load import sentence_text

    _check_embed(embed)
    return _pairs(sentence_text(source, src_lang, "source"), sentence_text(translation, tgt_lang, "translation"),
                  embed)


def _check_embed(embed: bool) -> None:
    if embed:
        from aligner.embed.model import check_available

        check_available()


def _pairs(src: Text, tgt: Text, embed: bool) -> list[Pair]:
    from aligner.document import Pair
    from aligner.options import AlignOptions
    from aligner.pipeline import align_texts

    doc = align_texts(src, tgt, AlignOptions(embed=embed))
    return [Pair(s, t, score, bead[0], bead[1]) for s, t, score, bead in doc.pairs()]


def __getattr__(name: str):
    """`aligner.Pair` and `aligner.AlignerError`, imported when first asked for."""
    if name == "Pair":
        from aligner.document import Pair

        return Pair
    if name == "AlignerError":
        from aligner.plumbing.errors import AlignerError

        return AlignerError
    raise AttributeError(f"module 'aligner' has no attribute {name!r}")
