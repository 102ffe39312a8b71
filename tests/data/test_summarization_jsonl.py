"""summarization_jsonl: fixtures in tmp_path, bad files, and the shared SciTLDR-A copy."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from mmbench.data.shared_data import shared_data_dir
from mmbench.data.summarization_jsonl import read_summaries, summarization_jsonl
from mmbench.errors import MmbenchError


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_strings_lists_and_images(tmp_path):
    Image.fromarray(np.full((10, 20, 3), 200, np.uint8)).save(tmp_path / "a.png")
    rows = [
        {"id": "x", "document": "One. Two.", "summary": "short", "image": "a.png"},
        {
            "id": "y",
            "document": ["First sentence.", "Second."],
            "summary": ["r1", "r2"],
            "image": "a.png",
        },
    ]
    for split in ("train", "dev", "test"):
        write_jsonl(tmp_path / f"{split}.jsonl", rows)
    splits = summarization_jsonl(task="summarization", root=str(tmp_path), image_size=16)
    a, b = splits.train
    assert a["summaries"] == ["short"] and a["document"] == "One. Two."
    assert b["summaries"] == ["r1", "r2"] and b["document"] == "First sentence. Second."
    assert b["sentences"] == ["First sentence.", "Second."]
    assert a["image"].shape == (16, 16, 3) and int(a["image"][0, 0, 0]) == 200


def test_bad_references_file_names_file_and_line(tmp_path):
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            {"document": "d", "summary": "ok"},
            {"document": "d", "summary": []},
            {"document": "d"},
            {"document": "d", "summary": 3},
        ],
    )
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    with pytest.raises(MmbenchError) as err:
        read_summaries(path)
    text = str(err.value)
    assert f"{path}:2: 'summary' must be a string or a non-empty list" in text
    assert f"{path}:3: missing field(s) 'summary'" in text
    assert f"{path}:4: 'summary' must be" in text
    assert f"{path}:5: not valid JSON" in text
    write_jsonl(tmp_path / "img.jsonl", [{"document": "d", "summary": "s", "image": "no.png"}])
    with pytest.raises(MmbenchError, match="img.jsonl:1: image file .*no.png does not exist"):
        read_summaries(tmp_path / "img.jsonl")
    with pytest.raises(MmbenchError, match="file not found"):
        read_summaries(tmp_path / "absent.jsonl")


SCITLDR = shared_data_dir() / "scitldr-a"


@pytest.mark.skipif(not (SCITLDR / "test.jsonl").is_file(), reason="shared SciTLDR-A absent")
def test_scitldr_loads_with_its_field_names():
    splits = summarization_jsonl(
        task="summarization", document_key="source", summary_key="target", id_key="paper_id"
    )
    assert (len(splits.train), len(splits.val), len(splits.test)) == (1992, 619, 618)
    refs = [len(e["summaries"]) for e in splits.test]
    assert min(refs) >= 2 and 3.0 < np.mean(refs) < 3.4  # the card: 3.18 (2–4)
    assert all(e["document"] and "image" not in e for e in splits.val)
    with pytest.raises(MmbenchError, match="missing field"):
        summarization_jsonl(task="summarization", limit=2)  # default keys do not fit SciTLDR


def test_a_raw_line_separator_inside_a_string_does_not_split_the_line(tmp_path):
    # JSON allows U+2028, U+2029 and NEL unescaped in strings; they do not end a JSON Lines line
    path = tmp_path / "sep.jsonl"
    rows = [
        '{"document": "one\u2028two", "summary": "a\u2029b\x85c"}',
        '{"document": "d", "summary": "s"}',
    ]
    path.write_text("\r\n".join(rows) + "\n", encoding="utf-8")
    examples = read_summaries(path)
    assert len(examples) == 2 and examples[0]["summaries"] == ["a\u2029b\x85c"]
    from mmbench.formats.readers import read_jsonl

    assert [r["document"] for r in read_jsonl(path)] == ["one\u2028two", "d"]
