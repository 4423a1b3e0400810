"""Small bilingual articles for the batch tests, cut from the seed article (its six paragraph
pairs, chosen and ordered differently for each article), and readers of merged outputs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from lxml import etree

from conftest import example_bodies

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def article(number: int, zh: list[str], en: list[str]) -> str:
    """An article in the example's layout with `number` in its header fields."""
    en_body = "".join(f"    {p}\n\n" for p in en)
    zh_body = "".join(f"    {p}\n" for p in zh)
    return (f"Title: Article {number}\nAuthor: Test Desk\nDate: 1954-11-{1 + number % 28:02d}\nPage: {1 + number % 4}\n\n"
            f"{en_body}\n<hr /> \n\nOriginal: \n\n### 文章{number}\n本报记者\n1954-11-{1 + number % 28:02d}\n"
            f"第{1 + number % 4}版()\n专栏：\n\n{zh_body}")


def paragraph_choices() -> list[tuple[int, ...]]:
    """Orders of 2 or 3 of the seed's body paragraphs (2-5, the headline's two lines apart)."""
    body = [2, 3, 4, 5]
    return [c for k in (2, 3) for c in itertools.permutations(body, k)]


def make_articles(folder: Path, count: int, per_folder: int = 10) -> list[Path]:
    """`count` different articles in subfolders of `per_folder` (a/, b/, ...), named so that
    their sorted relative paths are their numbers' order."""
    zh, en = example_bodies()
    choices = paragraph_choices()
    paths = []
    for n in range(count):
        picked = [0, 1, *choices[n % len(choices)]]  # the headline, then the body paragraphs
        path = folder / chr(ord("a") + n // per_folder) / f"{n:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(n, [zh[k] for k in picked], [en[k] for k in picked]), encoding="utf-8")
        paths.append(path)
    return paths


def tmx_units(path: Path) -> list[dict]:
    """Every unit of a TMX file: tuid, properties and segments, in file order."""
    root = etree.parse(str(path)).getroot()
    return [
        {
            "tuid": tu.get("tuid"),
            "props": [(p.get("type"), p.text) for p in tu.findall("prop")],
            "segs": [(tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv")],
        }
        for tu in root.iter("tu")
    ]


def jsonl_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def summary_rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]
