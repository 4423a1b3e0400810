"""Sentence segmentation: one segmenter per base language behind one interface."""

from __future__ import annotations

from typing import Protocol

from aligner.segment.en import EnglishSegmenter
from aligner.segment.zh import ChineseSegmenter


class Segmenter(Protocol):
    lang: str

    def split(self, paragraph: str) -> list[str]:
        """Sentences of one paragraph, stripped, none empty."""
        ...


_SEGMENTERS: dict[str, type] = {"zh": ChineseSegmenter, "en": EnglishSegmenter}


def get_segmenter(lang: str) -> Segmenter:
    """The segmenter for a language code such as 'zh', 'zh-TW' or 'en_US' (by base language)."""
    base = lang.replace("_", "-").split("-")[0].lower()
    try:
        return _SEGMENTERS[base]()
    except KeyError:
        raise ValueError(
            f"no sentence segmenter for language {lang!r} (supported: {', '.join(_SEGMENTERS)})"
        ) from None


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """The sentences of one paragraph in language `lang`."""
    return get_segmenter(lang).split(paragraph)
