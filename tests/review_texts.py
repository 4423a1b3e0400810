"""Texts for the review tests (report, workbook, convert): the seed article as two files,
with the kind of gaps a reviewer is there to catch, and a long text made of it."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import example_bodies

ADDED = "This sentence was added by the translator and has no source."


def _sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z(])", paragraph)


def gap_bodies(copy: int = 0) -> tuple[list[str], list[str]]:
    """The seed article's Chinese and English paragraphs, the English with one sentence
    left out (of the paragraph on the forum's exchange) and one added, so that the
    alignment has unpaired sentences; `copy` varies the
    texts so that a long text made of copies is no repetition of one page."""
    zh, en = example_bodies()
    en = list(en)
    four = _sentences(en[4])
    en[4] = " ".join(four[:1] + four[2:])
    en[3] = f"{en[3]} {ADDED}"
    if copy:
        zh = [f"第{copy}篇：{zh[0]}", *zh[1:]]
        en = [f"Part {copy}: {en[0]}", *en[1:]]
    return zh, en


def write_pair(folder: Path, copies: int = 1, gaps_every: int = 1) -> tuple[Path, Path]:
    """zh.txt and en.txt (paragraphs separated by blank lines) of `copies` copies of the
    article, every `gaps_every`-th with the gaps of `gap_bodies`, the others intact."""
    zh_all, en_all = [], []
    for copy in range(copies):
        if copy % gaps_every == 0:
            zh, en = gap_bodies(copy)
        else:
            zh, en = example_bodies()
            zh = [f"第{copy}篇：{zh[0]}", *zh[1:]]
            en = [f"Part {copy}: {en[0]}", *en[1:]]
        zh_all += zh
        en_all += en
    folder.mkdir(parents=True, exist_ok=True)
    zh_path, en_path = folder / "zh.txt", folder / "en.txt"
    zh_path.write_text("\n\n".join(zh_all) + "\n", encoding="utf-8")
    en_path.write_text("\n\n".join(en_all) + "\n", encoding="utf-8")
    return zh_path, en_path
