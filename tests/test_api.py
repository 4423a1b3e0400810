"""The Python API (issue 23, item 7): `aligner.align` for two texts, `aligner.align_sentences`
for two sentence lists, each returning Pairs with scores; the README's example runs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import aligner
from conftest import ROOT, cli_env, example_bodies


def readme_example() -> str:
    """The first Python block of the README's 'Python API' section."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_as_written(tmp_path):
    proc = subprocess.run([sys.executable, "-c", readme_example()], capture_output=True, text=True, env=cli_env(),
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "(1,) (1,)"
    assert lines[0].endswith("1-1  会议在哈尔滨举行。  |  The forum was held in Harbin.")
    assert lines[2].endswith("1-1  会议一致认为，必须加强协作。  |  The meeting unanimously agreed that cooperation must be "
                             "strengthened.")
    assert all(float(line.split()[0]) > 0.5 for line in lines[:3])


def test_align_gives_the_beads_of_the_command_line(tmp_path):
    """Two texts: the same beads and scores as `aligner align zh.txt en.txt -f jsonl`."""
    import json

    from conftest import run_cli

    zh, en = example_bodies()
    pairs = aligner.align("\n\n".join(zh), "\n\n".join(en))
    assert all(isinstance(p, aligner.Pair) for p in pairs) and len(pairs) == 18
    zh_file, en_file = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh_file.write_text("\n\n".join(zh), encoding="utf-8")
    en_file.write_text("\n\n".join(en), encoding="utf-8")
    run = run_cli("align", zh_file, en_file, "-f", "jsonl", "-q")
    records = [json.loads(line) for line in run.text.splitlines()]
    assert [(p.src, p.tgt, list(p.src_idx), list(p.tgt_idx), p.type) for p in pairs] == [
        (r["src"], r["tgt"], r["src_idx"], r["tgt_idx"], r["type"]) for r in records]
    assert [round(p.score, 4) for p in pairs] == [r["score"] for r in records]
    # either side may be the Chinese one: the pairs turn round
    back = aligner.align("\n\n".join(en), "\n\n".join(zh))
    assert [(p.tgt, p.src, p.tgt_idx, p.src_idx) for p in back] == [(p.src, p.tgt, p.src_idx, p.tgt_idx) for p in pairs]


def test_align_sentences_indexes_the_lists_given():
    from conftest import gold_pairs

    gold = gold_pairs()
    zh = [z for z, _ in gold]
    en = [e for _, e in gold]
    pairs = aligner.align_sentences(zh, en)
    assert [(p.src_idx, p.tgt_idx) for p in pairs] == [((k,), (k,)) for k in range(len(gold))]
    assert [(p.src, p.tgt) for p in pairs] == gold and all(0 < p.score <= 1 for p in pairs)
    # a sentence without its translation: a pair with an empty side
    pairs = aligner.align_sentences(zh, en[:5] + en[6:])
    assert ((5,), ()) in [(p.src_idx, p.tgt_idx) for p in pairs]
    assert next(p for p in pairs if p.src_idx == (5,)).type == "1-0"


def test_bad_input_raises_aligner_error():
    with pytest.raises(aligner.AlignerError, match="both files are in English"):
        aligner.align("One sentence here.", "Another sentence there.")
    with pytest.raises(aligner.AlignerError, match="no text to align"):
        aligner.align_sentences(["", " "], ["A sentence."])
    with pytest.raises(TypeError, match="list of strings"):
        aligner.align_sentences("会议在哈尔滨举行。", ["The forum was held in Harbin."])
    with pytest.raises(AttributeError):
        aligner.no_such_name  # noqa: B018


def test_import_aligner_loads_nothing_else():
    """`import aligner` stays cheap: no NumPy, jieba, the pipeline or typing."""
    code = ("import sys; import aligner; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('aligner', 'numpy', 'jieba', 'click', 'typing')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "['aligner']", proc.stdout + proc.stderr
