"""Sentence segmentation: one segmenter per base language behind one interface."""

from __future__ import annotations

from typing import Protocol

from aligner.document import base_lang
from aligner.segment.en import EnglishSegmenter
from aligner.segment.zh import ChineseSegmenter


class Segmenter(Protocol):
    lang: str

    def signature(self) -> str:
        """Name and version of the rules, for the run's signature."""
        ...

    def split(self, paragraph: str) -> list[str]:
        """Sentences of one paragraph, stripped, none empty."""
        ...


_SEGMENTERS: dict[str, type] = {"zh": ChineseSegmenter, "en": EnglishSegmenter}


def get_segmenter(lang: str) -> Segmenter:
    """The segmenter for a language code such as 'zh', 'zh-TW' or 'en_US' (by base language)."""
    try:
        return _SEGMENTERS[base_lang(lang)]()
    except KeyError:
        raise ValueError(
            f"no sentence segmenter for language {lang!r} (supported: {', '.join(_SEGMENTERS)})"
        ) from None



def signature() -> str:
    """The segmenters' piece of the run's signature."""
    return "seg:" + ",".join(cls().signature() for cls in _SEGMENTERS.values())
