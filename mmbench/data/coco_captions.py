"""``coco_captions``: captioning data in the COCO caption format (annotation JSON + images).

One annotation file per split, ``{"images": [{"id", "file_name"}, …], "annotations":
[{"image_id", "caption", …}, …]}`` as COCO's ``captions_*.json``; image files are found under
``root/<images>/<file_name>``. Every image listed needs at least one caption; problems are
reported with the file and the offending entry. No tags modality (leave ``tags`` out).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

from mmbench.data.base import SPLITS, Splits
from mmbench.data.image_files import load_image
from mmbench.data.lazy_column import lazy_flag
from mmbench.data.lazy_images import ImageRef, listed
from mmbench.data.shared_data import dataset_root
from mmbench.errors import MmbenchError
from mmbench.formats import coco_captions as formats
from mmbench.formats.readers import read_json
from mmbench.kwarg_checks import ranges
from mmbench.registry import DATASETS

log = logging.getLogger(__name__)


def own_copy(text: str) -> str:
    """A new string equal to ``text``, so that what is kept holds none of the parsed document.

    CPython returns an arena of small objects to the system only when all of them are freed:
    the ~5 captions and the file name per image kept from a 250k-annotation document would pin
    the arenas of the annotation records around them (60 MiB of resident memory at 50k images,
    more than the captions themselves; ``benchmarks/bench_lazy_loading.py``).
    """
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def read_coco_captions(
    annotations: Path,
    images: Path,
    image_size: int = 64,
    limit: int | None = None,
    lazy: bool = False,
) -> list[dict]:
    """Examples ``{image_id, file_name, image, captions}`` in the order of ``images``; with
    ``lazy`` the image is an :class:`ImageRef` read when a batch needs it."""
    data = read_json(annotations)  # bounded; the COCO layout is read by mmbench.formats
    raw_images = formats.images(data, annotations)
    problems: list[str] = []
    captions: dict = defaultdict(list)
    for image_id, texts in formats.captions_by_image(data, annotations).items():
        for text in texts:
            if text.strip():
                captions[image_id].append(own_copy(text.strip()))
            else:  # a training reference must say something
                problems.append(f"{annotations}: image_id {image_id}: an empty caption")
    entries = []
    for k, img in enumerate(raw_images):
        if not captions.get(img["id"]):
            problems.append(f"{annotations}: images[{k}] (id {img['id']}): no caption")
        else:
            entries.append(img)
    known = {img["id"] for img in raw_images}
    orphans = [i for i in captions if i not in known]
    if orphans:
        problems.append(
            f"{annotations}: {len(orphans)} caption(s) refer to images not listed in "
            f'"images" (first image_id: {orphans[0]})'
        )
    if problems:
        raise MmbenchError(
            problems[:10] + [f"… and {len(problems) - 10} more"] * (len(problems) > 10)
        )
    if not entries:
        raise MmbenchError(f"{annotations}: no images")
    out = []
    for k, img in enumerate(entries[:limit] if limit else entries):
        where = (annotations, k, img["id"])  # formatted only for a message
        path = images / img["file_name"]
        if lazy and not path.is_file():  # found now, not in the middle of training
            raise MmbenchError(f"{listed(*where)}: image file {path} does not exist")
        out.append(
            {
                "image_id": img["id"],
                "file_name": own_copy(img["file_name"]),
                "image": (
                    ImageRef(str(path), image_size, where)
                    if lazy
                    else load_image(path, image_size, listed(*where))
                ),
                "captions": captions[img["id"]],
            }
        )
    return out


@DATASETS.register("coco_captions")
@ranges(image_size=(8, 1024), limit=(1, 10**9))
def coco_captions(
    *,
    task: str,
    root: str | None = None,
    train: str = "annotations/captions_train.json",
    val: str = "annotations/captions_val.json",
    test: str = "annotations/captions_test.json",
    images: str = "images",
    image_size: int = 64,
    limit: int | None = None,
    lazy: bool = False,
) -> Splits:
    """COCO-format captions: annotation files ``train``/``val``/``test`` (paths in ``root``),
    images in ``root/images``, resized to ``image_size``; ``limit`` images per split at most.
    ``lazy``: read each image when a batch needs it (sets larger than memory; see
    :mod:`mmbench.data.lazy_images` and ``train.num_workers``) instead of all up front.
    """
    lazy = lazy_flag(lazy)
    if task != "captioning":
        raise MmbenchError(f"dataset 'coco_captions' serves task 'captioning', not {task!r}")
    folder = dataset_root(root, "coco")
    if not folder.is_dir():
        raise MmbenchError(f"dataset.kwargs.root: folder {folder} does not exist")
    parts = [
        read_coco_captions(folder / name, folder / images, image_size, limit, lazy)
        for name in (train, val, test)
    ]
    log.info("coco_captions: %s", {s: len(p) for s, p in zip(SPLITS, parts)})
    meta = {"name": "coco_captions", "root": str(folder), "task": "captioning"}
    return Splits(train=parts[0], val=parts[1], test=parts[2], meta=meta)


coco_captions.tasks = ("captioning",)
