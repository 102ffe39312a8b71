"""Train on built-in spoken_digits (espeak-ng voices), test on real FSDD speakers (official split).

Run from the repo root:  OMP_NUM_THREADS=1 .venv/bin/python reports/asr_summary/cross_corpus.py
No MLflow logging (the engine evaluates on the training dataset only); prints WER/CER.
"""

from __future__ import annotations

import torch

from mmbench.build import build_dataset, build_model
from mmbench.data.fsdd import fsdd
from mmbench.engine.loop import fit, predict_split
from mmbench.engine.seeding import seed_everything
from mmbench.spec import load_plan
from mmbench.tasks.asr import AsrTask

overrides = [
    "model.encoders.audio.name=mel_gru",
    "dataset.kwargs.n_train=1000",
    "dataset.kwargs.sample_rate=8000",  # FSDD's rate: no empty mel bands above 4 kHz
    "train.epochs=15",
]
spec = load_plan("experiments/asr/baseline.yaml", overrides).specs[0]
gen = seed_everything(0)
task = AsrTask(spec)
task.prepare(build_dataset(spec))
seed_everything(0)
model = build_model(spec, task)
fit(model, task, spec.train, torch.device("cpu"), gen)
synthetic_test = task.evaluate(
    predict_split(model, task, "test", 256, torch.device("cpu"))[0], "test", ["wer", "cer"]
)

real = AsrTask(spec)
real.prepare(fsdd(task="asr", sample_rate=8000))
# FSDD's one-word transcripts have no space: decode with the training alphabet
assert set(real.alphabet) <= set(task.alphabet)
real.alphabet, real.char_index = task.alphabet, task.char_index
preds, _ = predict_split(model, real, "test", 256, torch.device("cpu"))
scores = real.evaluate(preds, "test", ["wer", "cer"])
print(
    "spoken_digits test:",
    {k: round(v, 3) for r in synthetic_test.values() for k, v in r.scores.items()},
)
print(
    "FSDD test (300 files, 6 real speakers):",
    {k: round(v, 3) for r in scores.values() for k, v in r.scores.items()},
)
print("sample:", list(zip(preds[:8], [e["text"] for e in real.examples("test")[:8]])))
