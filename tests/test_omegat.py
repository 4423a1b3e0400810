"""OmegaT (a real CAT tool) uses our TMX as a translation memory.

What OmegaT 3.6 needs for our TMX to fill a project in console mode:
- the TMX in `tm/auto/`: OmegaT inserts its exact matches as translations when the
  project loads (a TMX in `tm/` itself is only offered as fuzzy matches in the GUI);
- an exact match means the source segment equals the TMX `<seg>` text exactly, so the
  project must cut the source file into the same segments as our beads. The plain
  text filter's default makes one segment per paragraph (text between empty lines;
  single line breaks do NOT separate segments, measured: 18 lines gave 1 segment), and
  `<sentence_seg>false</sentence_seg>` keeps OmegaT's own sentence rules from
  splitting a bead of two Chinese sentences. So the source file has one bead per
  paragraph, paragraphs separated by an empty line;
- `xml:lang` of the TMX matching the project's source/target languages (zh-CN, en-US);
- `omegat PROJECT --mode=console-translate` (project first); it needs no display.
  HOME points to a temporary folder so nothing is written to the user's settings.
Segments without a match are copied to `target/` untranslated, so the check below is
that every Chinese segment came out as its English.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from aligner.document import AlignedDocument
from aligner.pipeline import align_texts
from aligner.readers.load import load_article
from aligner.writers import render
from conftest import EXAMPLE
from test_writers import harbin_doc

pytestmark = [
    pytest.mark.omegat,
    pytest.mark.skipif(
        shutil.which("omegat") is None,
        reason="OmegaT is not installed (apt-get install omegat; .ci/run installs it)",
    ),
]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>zh-CN</source_lang>
        <target_lang>en-US</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


def pipeline_doc() -> AlignedDocument:
    """The example article aligned by the real pipeline."""
    zh, en, meta = load_article(str(EXAMPLE))
    return align_texts(zh, en, metadata=meta)


def run_omegat(tmp_path: Path, tmx: str, zh_segments: list[str]) -> str:
    """Translate the Chinese segments in a fresh OmegaT project whose only TM is `tmx`."""
    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "dictionary", "glossary", "omegat"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (project / "tm" / "auto" / "aligned.tmx").write_text(tmx, encoding="utf-8")
    (project / "source" / "article.txt").write_text("\n\n".join(zh_segments) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env["HOME"] = str(home)
    # /usr/bin/omegat passes its arguments on unquoted: the path must have no spaces.
    assert " " not in str(project)
    proc = subprocess.run(
        ["omegat", str(project), "--mode=console-translate"],
        env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    target = project / "target" / "article.txt"
    assert target.exists(), log[-3000:]
    return target.read_text(encoding="utf-8")


def check_translated(tmp_path: Path, doc: AlignedDocument) -> None:
    tmx = render(doc, "tmx")
    root = etree.fromstring(tmx.encode("utf-8"))
    pairs = []
    for tu in root.iter("tu"):
        zh, en = (tuv.findtext("seg") for tuv in tu.findall("tuv"))
        pairs.append((zh, en))
    assert pairs, "no translation units to test with"
    translated = run_omegat(tmp_path, tmx, [zh for zh, _ in pairs])
    paragraphs = [p.strip() for p in translated.split("\n\n") if p.strip()]
    assert paragraphs == [en for _, en in pairs]
    assert not any("\u4e00" <= c <= "\u9fff" for c in translated), "a Chinese segment was left untranslated"


def merge_beads(doc: AlignedDocument, k: int) -> AlignedDocument:
    """Beads k and k+1 joined into one, as the aligner does for a 2-2 correspondence."""
    (s1, t1), (s2, t2) = doc.beads[k], doc.beads[k + 1]
    beads = [*doc.beads[:k], (s1 + s2, t1 + t2), *doc.beads[k + 2:]]
    scores = [*doc.scores[:k], min(doc.scores[k : k + 2]), *doc.scores[k + 2:]]
    return AlignedDocument(doc.src, doc.tgt, beads, scores, doc.metadata, doc.signature)


def test_omegat_fills_project_from_gold_alignment_tmx(tmp_path):
    # Beads 3 and 4 of the article (two Chinese sentences ending in 。) as one 2-2 bead:
    # with OmegaT's sentence segmentation on, this bead would be split and not match.
    doc = merge_beads(harbin_doc(), 2)
    assert {f"{len(s)}-{len(t)}" for s, t in doc.beads} == {"1-1", "1-2", "2-2"}
    check_translated(tmp_path, doc)


def test_omegat_fills_project_from_pipeline_tmx(tmp_path):
    check_translated(tmp_path, pipeline_doc())


def test_omegat_fills_project_from_merged_batch_tmx(tmp_path):
    """A batch's merged TMX (x-document and metadata props on each unit, tuids running on
    across documents) is a memory OmegaT uses: three articles, each paragraph in one."""
    from batch_articles import article
    from conftest import example_bodies, run_main

    zh, en = example_bodies()
    folder = tmp_path / "archive"
    folder.mkdir()
    for n, picked in enumerate([(0, 1, 2), (3,), (4, 5)]):
        (folder / f"{n}.txt").write_text(article(n, [zh[k] for k in picked], [en[k] for k in picked]), encoding="utf-8")
    out = tmp_path / "merged.tmx"
    run = run_main("batch", folder, "-o", out, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    tmx = out.read_text(encoding="utf-8")
    root = etree.fromstring(tmx.encode("utf-8"))
    pairs = [tuple(tuv.findtext("seg") for tuv in tu.findall("tuv")) for tu in root.iter("tu")]
    assert len({tu.findtext("prop[@type='x-document']") for tu in root.iter("tu")}) == 3
    translated = run_omegat(tmp_path, tmx, [zh for zh, _ in pairs])
    paragraphs = [p.strip() for p in translated.split("\n\n") if p.strip()]
    assert paragraphs == [en for _, en in pairs]
