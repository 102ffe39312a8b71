"""Malformed specs: each must give exit code 2 from ``mmbench validate`` naming file and key.

Grouped as in issue 16: types, ranges, names, component kwargs, unknown keys, sweeps, aliases,
nesting, sizes, non-finite numbers, duplicate keys, YAML syntax, ``base:`` targets, overrides.
The builders are in :mod:`tests.hardening.spec_builders`.
"""

from __future__ import annotations

from tests.hardening.harness import Case
from tests.hardening.spec_builders import (
    BASE,
    FUSION,
    a_directory,
    add,
    base_target,
    big,
    deep_block,
    diamond,
    fifo,
    flow_laughs,
    head,
    huge,
    itself,
    laughs,
    override,
    raw,
    spec_path,
    sub,
)

CASES: dict[str, object] = {
    # --- strict types -----------------------------------------------------------------------
    "epochs_true": sub("epochs: 1", "epochs: true", "train.epochs", "boolean"),
    "epochs_float": sub("epochs: 1", "epochs: 1.5", "train.epochs"),
    "epochs_string": sub("epochs: 1", "epochs: '3'", "train.epochs"),
    "epochs_zero": sub("epochs: 1", "epochs: 0", "train.epochs"),
    "epochs_huge": sub("epochs: 1", "epochs: 1180591620717411303424", "train.epochs"),
    "batch_false": sub("batch_size: 4", "batch_size: false", "train.batch_size"),
    "batch_zero": sub("batch_size: 4", "batch_size: 0", "train.batch_size"),
    "batch_negative": sub("batch_size: 4", "batch_size: -4", "train.batch_size"),
    "batch_2_70": sub("batch_size: 4", "batch_size: 1180591620717411303424", "train.batch_size"),
    "lr_true": sub("batch_size: 4", "batch_size: 4, lr: true", "train.lr"),
    "lr_zero": sub("batch_size: 4", "batch_size: 4, lr: 0", "train.lr"),
    "lr_negative": sub("batch_size: 4", "batch_size: 4, lr: -1.0e-3", "train.lr"),
    "lr_list": sub("batch_size: 4", "batch_size: 4, lr: [0.1]", "train.lr"),
    "lr_word": sub("batch_size: 4", "batch_size: 4, lr: fast", "train.lr"),
    "weight_decay_negative": sub(
        "batch_size: 4", "batch_size: 4, weight_decay: -0.1", "train.weight_decay"
    ),  # noqa: E501
    "warmup_one": sub("batch_size: 4", "batch_size: 4, warmup_frac: 1.0", "train.warmup_frac"),
    "grad_clip_zero": sub("batch_size: 4", "batch_size: 4, grad_clip: 0", "train.grad_clip"),
    "seed_2_70": sub("batch_size: 4", "batch_size: 4, seed: 1180591620717411303424", "train.seed"),
    "seed_negative": sub("batch_size: 4", "batch_size: 4, seed: -1", "train.seed"),
    "seed_true": sub("batch_size: 4", "batch_size: 4, seed: true", "train.seed"),
    "seed_float": sub("batch_size: 4", "batch_size: 4, seed: 1.5", "train.seed"),
    "max_steps_zero": sub("batch_size: 4", "batch_size: 4, max_steps: 0", "train.max_steps"),
    "log_every_true": sub("batch_size: 4", "batch_size: 4, log_every: true", "train.log_every"),
    "device_tpu": sub("batch_size: 4", "batch_size: 4, device: tpu", "train.device"),
    "optimizer_typo": sub(
        "batch_size: 4",
        "batch_size: 4, optimizer: adamww",
        "train.optimizer",
        "did you mean 'adamw'",
    ),  # noqa: E501
    "schedule_typo": sub("batch_size: 4", "batch_size: 4, schedule: cosin", "train.schedule"),
    "dropout_prob_high": sub(
        "batch_size: 4",
        "batch_size: 4, modality_dropout: {image: 1.5}",
        "train.modality_dropout.image",
    ),  # noqa: E501
    "dropout_prob_list": sub(
        "batch_size: 4", "batch_size: 4, modality_dropout: [image]", "train.modality_dropout"
    ),  # noqa: E501
    "dim_zero": sub("dim: 16", "dim: 0", "model.dim"),
    "dim_true": sub("dim: 16", "dim: true", "model.dim"),
    "dim_huge": sub("dim: 16", "dim: 100000", "model.dim"),
    "frozen_int": sub(
        "text: {name: gru}", "text: {name: gru, frozen: 1}", "model.encoders.text.frozen"
    ),  # noqa: E501
    "eval_batch_zero": add("eval: {batch_size: 0}\n", "eval.batch_size"),
    "eval_split_train": add("eval: {split: train}\n", "eval.split"),
    "eval_metrics_string": add("eval: {metrics: vqa_acc}\n", "eval.metrics"),
    "eval_missing_unknown": add("eval: {missing: [audio]}\n", "eval.missing"),
    "description_list": add("description: [a, b]\n", "description"),
    "tracking_uri_int": add("tracking: {uri: 3}\n", "tracking.uri"),
    # --- non-finite numbers -----------------------------------------------------------------
    "lr_inf": sub("batch_size: 4", "batch_size: 4, lr: .inf", "train.lr", "finite"),
    "lr_nan": sub("batch_size: 4", "batch_size: 4, lr: .nan", "train.lr", "finite"),
    "lr_inf_string": sub("batch_size: 4", "batch_size: 4, lr: 'inf'", "train.lr", "finite"),
    "lr_1e999": sub("batch_size: 4", "batch_size: 4, lr: 1.0e999", "train.lr", "finite"),
    "weight_decay_inf": sub(
        "batch_size: 4", "batch_size: 4, weight_decay: .inf", "train.weight_decay"
    ),  # noqa: E501
    "warmup_minus_inf": sub(
        "batch_size: 4", "batch_size: 4, warmup_frac: -.inf", "train.warmup_frac"
    ),  # noqa: E501
    "grad_clip_nan": sub("batch_size: 4", "batch_size: 4, grad_clip: .nan", "train.grad_clip"),
    "modality_dropout_nan": sub(
        "batch_size: 4",
        "batch_size: 4, modality_dropout: {image: .nan}",
        "train.modality_dropout.image",
    ),  # noqa: E501
    "fusion_kwargs_inf": sub(
        "fusion: {name: concat}",
        "fusion: {name: concat, kwargs: {dropout: .inf}}",
        "model.fusion.kwargs.dropout",
    ),  # noqa: E501
    "dataset_kwargs_nan": sub("n_test: 4}", "n_test: 4, noise: .nan}", "dataset.kwargs.noise"),
    "description_inf": add("description: .inf\n", "description"),
    # --- names: never paths or markup ---------------------------------------------------------
    "name_traversal": sub("name: t", "name: ../../x", "name:", "'..'"),
    "name_absolute": sub("name: t", "name: /tmp/x", "name:", "absolute"),
    "name_slash": sub("name: t", "name: a/b", "name:", "'/'"),
    "name_backslash": sub("name: t", "name: 'a\\b'", "name:"),
    "name_windows": sub("name: t", "name: 'C:\\x'", "name:"),
    "name_newline": sub("name: t", 'name: "a\\nb"', "name:", "'\\n'"),
    "name_heading": sub("name: t", 'name: "x\\n# injected"', "name:"),
    "name_pipe": sub("name: t", "name: 'a|b'", "name:", "'|'"),
    "name_hidden": sub("name: t", "name: .hidden", "name:", "starts with '.'"),
    "name_dots": sub("name: t", "name: '..'", "name:"),
    "name_long": sub("name: t", "name: " + "x" * 300, "name:", "300 characters"),
    "name_empty": sub("name: t", "name: ''", "name:", "empty"),
    "name_int": sub("name: t", "name: 3", "name:"),
    "name_null": sub("name: t", "name: null", "name:"),
    "name_control": sub("name: t", 'name: "a\\tb"', "name:", "'\\t'"),
    "name_space": sub("name: t", "name: 'a b'", "name:"),
    "experiment_traversal": add(
        "tracking: {experiment: ../../../x}\n", "tracking.experiment", "'..'"
    ),  # noqa: E501
    "experiment_absolute": add("tracking: {experiment: /tmp/x}\n", "tracking.experiment"),
    "experiment_newline": add('tracking: {experiment: "a\\nb"}\n', "tracking.experiment"),
    "experiment_hidden": add("tracking: {experiment: .x}\n", "tracking.experiment"),
    "experiment_markup": add("tracking: {experiment: 'a|b*c'}\n", "tracking.experiment"),
    "experiment_list": add("tracking: {experiment: [a]}\n", "tracking.experiment"),
    # --- component kwargs: values checked at validate time ------------------------------------
    "head_hidden_negative": head(
        "{name: classifier, kwargs: {hidden: -3}}", "model.head.kwargs.hidden"
    ),  # noqa: E501
    "head_dropout_2": head(
        "{name: classifier, kwargs: {dropout: 2.0}}", "model.head.kwargs.dropout"
    ),  # noqa: E501
    "head_pool_unknown": head("{name: classifier, kwargs: {pool: sum}}", "model.head.kwargs.pool"),  # noqa: E501
    "head_hidden_true": head(
        "{name: classifier, kwargs: {hidden: true}}", "model.head.kwargs.hidden"
    ),  # noqa: E501
    "head_unknown_arg": head(
        "{name: classifier, kwargs: {hiden: 3}}", "model.head.kwargs.hiden", "did you mean 'hidden'"
    ),  # noqa: E501
    "head_unknown_name": head("{name: clasifier}", "model.head.name", "did you mean 'classifier'"),  # noqa: E501
    "gru_layers_true": sub(
        "text: {name: gru}",
        "text: {name: gru, kwargs: {layers: true}}",
        "model.encoders.text.kwargs.layers",
    ),  # noqa: E501
    "gru_dropout_negative": sub(
        "text: {name: gru}",
        "text: {name: gru, kwargs: {dropout: -0.5}}",
        "model.encoders.text.kwargs.dropout",
    ),  # noqa: E501
    "gru_layers_zero": sub(
        "text: {name: gru}",
        "text: {name: gru, kwargs: {layers: 0}}",
        "model.encoders.text.kwargs.layers",
    ),  # noqa: E501
    "cnn_widths_zero": sub(
        "image: {name: cnn}",
        "image: {name: cnn, kwargs: {widths: [8, 0]}}",
        "model.encoders.image.kwargs.widths",
    ),  # noqa: E501
    "cnn_widths_string": sub(
        "image: {name: cnn}",
        "image: {name: cnn, kwargs: {widths: abc}}",
        "model.encoders.image.kwargs.widths",
    ),  # noqa: E501
    "cnn_norm_int": sub(
        "image: {name: cnn}",
        "image: {name: cnn, kwargs: {norm: 3}}",
        "model.encoders.image.kwargs.norm",
    ),  # noqa: E501
    "encoder_wrong_modality": sub(
        "text: {name: gru}", "text: {name: cnn}", "model.encoders.text.name"
    ),  # noqa: E501
    "encoder_unknown_input": sub(
        "text: {name: gru}", "question: {name: gru}", "model.encoders.question"
    ),  # noqa: E501
    "encoders_list": sub(
        "  encoders:\n    image: {name: cnn}\n    text: {name: gru}\n",
        "  encoders: [cnn, gru]\n",
        "model.encoders",
    ),  # noqa: E501
    "fusion_hidden_float": sub(
        "fusion: {name: concat}",
        "fusion: {name: concat, kwargs: {hidden: 1.5}}",
        "model.fusion.kwargs.hidden",
    ),  # noqa: E501
    "fusion_unknown_name": sub(
        "fusion: {name: concat}",
        "fusion: {name: cros_attention}",
        "model.fusion.name",
        "did you mean 'cross_attention'",
    ),  # noqa: E501
    "fusion_kwargs_list": sub(
        "fusion: {name: concat}", "fusion: {name: concat, kwargs: [1, 2]}", "model.fusion.kwargs"
    ),  # noqa: E501
    "fusion_kwargs_int_key": sub(
        "fusion: {name: concat}",
        "fusion: {name: concat, kwargs: {1: 2}}",
        "model.fusion.kwargs.1",
        "strings",
    ),  # noqa: E501
    "fusion_name_int": sub("fusion: {name: concat}", "fusion: {name: 3}", "model.fusion.name"),
    "dataset_n_train_zero": sub("n_train: 8", "n_train: 0", "dataset.kwargs.n_train"),
    "dataset_n_test_negative": sub("n_test: 4", "n_test: -5", "dataset.kwargs.n_test"),
    "dataset_n_val_true": sub("n_val: 4", "n_val: true", "dataset.kwargs.n_val"),
    "dataset_canvas_small": sub("n_test: 4}", "n_test: 4, canvas: 8}", "dataset.kwargs.canvas"),
    "dataset_seed_2_70": sub(
        "n_test: 4}", "n_test: 4, seed: 1180591620717411303424}", "dataset.kwargs.seed"
    ),  # noqa: E501
    "dataset_answer_variation_int": sub(
        "n_test: 4}", "n_test: 4, answer_variation: 1}", "dataset.kwargs.answer_variation"
    ),  # noqa: E501
    "dataset_family_typo": sub(
        "n_test: 4}",
        "n_test: 4, families: [relatoin]}",
        "dataset.kwargs.families",
        "did you mean 'relation'",
    ),  # noqa: E501
    "dataset_min_over_max": sub(
        "n_test: 4}", "n_test: 4, min_objects: 5, max_objects: 2}", "dataset.kwargs.min_objects"
    ),  # noqa: E501
    "dataset_unknown_name": sub(
        "name: shapes", "name: shapez", "dataset.name", "did you mean 'shapes'"
    ),  # noqa: E501
    "dataset_kwargs_list": sub(
        "kwargs: {n_train: 8, n_val: 4, n_test: 4}", "kwargs: [8, 4, 4]", "dataset.kwargs"
    ),  # noqa: E501
    "dataset_kwargs_date": sub(
        "n_test: 4}", "n_test: 4, seed: 2020-01-01}", "dataset.kwargs.seed", "date"
    ),  # noqa: E501
    "dataset_kwargs_binary": sub(
        "n_test: 4}", "n_test: 4, seed: !!binary aGVsbG8=}", "dataset.kwargs.seed"
    ),  # noqa: E501
    "dataset_kwargs_set": sub(
        "n_test: 4}", "n_test: 4, families: !!set {count: null}}", "dataset.kwargs.families"
    ),  # noqa: E501
    "task_unknown": sub("task: vqa", "task: vqaa", "task", "did you mean 'vqa'"),
    "task_missing": sub("task: vqa\n", "", "task", "required"),
    # --- unknown keys -----------------------------------------------------------------------
    "unknown_top_level": add("epochs: 3\n", "epochs", "unknown key"),
    "unknown_train_key": sub(
        "train: {epochs: 1", "train: {epoch: 1", "train.epoch", "did you mean 'epochs'"
    ),  # noqa: E501
    "unknown_encoder_key": sub(
        "text: {name: gru}", "text: {name: gru, frozn: true}", "model.encoders.text.frozn"
    ),  # noqa: E501
    "unknown_model_key": sub(
        FUSION, FUSION + "  fuson: {name: film}\n", "model.fuson", "did you mean 'fusion'"
    ),
    "unknown_tracking_key": add("tracking: {experimnt: x}\n", "tracking.experimnt"),
    "unknown_dataset_kwarg": sub(
        "n_test: 4}", "n_test: 4, n_trian: 3}", "dataset.kwargs.n_trian", "did you mean 'n_train'"
    ),  # noqa: E501
    # --- sweeps -------------------------------------------------------------------------------
    "sweep_int_key": add("sweep: {3: [1, 2]}\n", "sweep.3", "strings"),
    "sweep_null_key": add("sweep: {null: [1, 2]}\n", "sweep.null", "strings"),
    "sweep_bool_key": add("sweep: {true: [1, 2]}\n", "sweep.true"),
    "sweep_list": add("sweep: [train.seed]\n", "sweep:"),
    "sweep_scalar_values": add("sweep: {train.seed: 3}\n", "sweep.train.seed", "list"),
    "sweep_empty_values": add("sweep: {train.seed: []}\n", "sweep.train.seed"),
    "sweep_name": add("sweep: {name: [a, b]}\n", "sweep.name", "cannot be swept"),
    "sweep_unknown_key": add(
        "sweep: {model.fusoin.name: [concat]}\n", "sweep.model.fusoin.name", "did you mean 'fusion'"
    ),  # noqa: E501
    "sweep_empty_key": add("sweep: {'': [1]}\n", "sweep"),
    "sweep_double_dot": add("sweep: {'train..seed': [1]}\n", "sweep"),
    "sweep_lr_inf": add("sweep: {train.lr: [1.0e-3, .inf]}\n", "sweep.train.lr[1]", "finite"),
    "sweep_epochs_true": add("sweep: {train.epochs: [1, true]}\n", "train.epochs"),
    "sweep_hidden_negative": head(
        "{name: classifier}\nsweep: {model.head.kwargs.hidden: [8, -3]}", "model.head.kwargs.hidden"
    ),  # noqa: E501
    "sweep_n_train_zero": add(
        "sweep: {dataset.kwargs.n_train: [8, 0]}\n", "dataset.kwargs.n_train"
    ),  # noqa: E501
    "sweep_too_many_points": add(
        "sweep: {train.seed: ["
        + ", ".join(map(str, range(200)))
        + "], train.epochs: ["
        + ", ".join(map(str, range(1, 101)))
        + "]}\n",
        "sweep",
        "10,000",
    ),  # noqa: E501
    # --- aliases --------------------------------------------------------------------------------
    "laughs_description": raw(BASE + laughs("description: *l9"), "aliases", "100,000"),
    "laughs_kwargs": raw(
        laughs("")
        + BASE.replace("fusion: {name: concat}", "fusion: {name: concat, kwargs: {hidden: *l9}}"),
        "aliases",
    ),  # noqa: E501
    "laughs_sweep": raw(BASE + laughs("sweep: {train.seed: *l9}"), "aliases"),
    "recursive_alias": raw(BASE + "description: &a [*a]\n", "recursive alias"),
    "undefined_alias": raw(BASE + "description: *nope\n", "invalid YAML", "line"),
    # --- nesting --------------------------------------------------------------------------------
    "deep_block_1000": raw(
        BASE
        + "description:\n"
        + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1000))
        + " " * 1001
        + "x: 1\n",
        "nested more than",
    ),  # noqa: E501
    "deep_flow_20000": raw(
        BASE + "description: " + "[" * 20_000 + "]" * 20_000 + "\n", "nested more than"
    ),  # noqa: E501
    "deep_flow_kwargs_100": sub(
        "fusion: {name: concat}",
        "fusion: {name: concat, kwargs: {hidden: " + "[" * 100 + "]" * 100 + "}}",
        "nested more than",
    ),  # noqa: E501
    "deep_block_3000_big": raw(BASE + "description:\n" + deep_block(3000), "bytes", "limit"),
    # --- sizes ----------------------------------------------------------------------------------
    "file_3mb": raw(BASE + "description: '" + "x" * (3 << 20) + "'\n", "bytes", "limit"),
    "file_56mb": huge,
    "int_5000_digits": raw(BASE + "description: " + "9" * 5000 + "\n", "integer", "line"),
    # --- duplicate keys -------------------------------------------------------------------------
    "duplicate_top_level": add("train: {epochs: 2}\n", "'train'", "twice", "line"),
    "duplicate_nested": sub(
        "train: {epochs: 1,", "train: {epochs: 1, epochs: 2,", "'epochs'", "twice"
    ),  # noqa: E501
    "duplicate_kwargs": sub("n_test: 4}", "n_test: 4, n_test: 5}", "'n_test'", "twice"),
    "duplicate_sweep": add(
        "sweep:\n  train.seed: [0]\n  train.seed: [1]\n", "'train.seed'", "twice"
    ),  # noqa: E501
    "duplicate_name": raw("name: a\n" + BASE, "'name'", "twice"),
    # --- YAML syntax and file type ------------------------------------------------------------
    "unclosed_bracket": raw("name: [unclosed\n", "invalid YAML", "line"),
    "tab_indent": raw("name: t\ntrain:\n\tepochs: 1\n", "invalid YAML", "line"),
    "two_documents": raw(BASE + "---\nname: u\n", "invalid YAML"),
    "top_level_list": raw("- a\n- b\n", "mapping"),
    "top_level_scalar": raw("hello\n", "mapping"),
    "not_utf8": raw(b"name: \xff\xfe\n", "UTF-8"),
    "empty_file": raw("", "name", "required"),
    "unhashable_key": raw(BASE + "? [a, b]\n: 1\n", "invalid YAML"),
    "python_tag": raw(
        BASE + "description: !!python/object/apply:os.system [echo hi]\n", "invalid YAML"
    ),  # noqa: E501
    "spec_is_directory": spec_path("dir"),
    "spec_is_fifo": spec_path("fifo"),
    "spec_is_dev_zero": spec_path("zero"),
    "spec_missing": lambda folder: (["validate", "nope.yaml"], ["nope.yaml", "not found"]),
    # --- base: targets ----------------------------------------------------------------------
    "base_directory": base_target(a_directory, "directory"),
    "base_dev_zero": base_target(lambda f: "/dev/zero", "regular file"),
    "base_fifo": base_target(fifo, "regular file"),
    "base_missing": base_target(lambda f: "nope.yaml", "not found"),
    "base_self": base_target(itself, "cycle"),
    "base_big": base_target(big, "big.yaml", "bytes", "limit"),
    "base_int": base_target(lambda f: "3", "file path"),
    "base_empty_list": base_target(lambda f: "[]", "file path"),
    "base_diamond": base_target(diamond, "files"),
    # --- --set overrides ------------------------------------------------------------------------
    "set_lr_inf": override("train.lr=.inf", "train.lr", "finite"),
    "set_epochs_true": override("train.epochs=true", "train.epochs", parsed=True),
    "set_name_traversal": override("name=../x", "name:", "'..'", parsed=True),
    "set_no_equals": override("train.lr", "KEY=VALUE"),
    "set_unknown_key": override("nope.x=1", "'nope'"),
    "set_empty_part": override("model..x=1", "empty part"),
    "set_sweep_nan": override("sweep.train.seed=[0, .nan]", "train.seed", "finite"),
    "set_long_key": override(".".join(["a"] * 40) + "=1", "parts"),
    "set_laughs": override("description=" + flow_laughs(), "--set description", "aliases"),
    "set_deep_value": override("description=" + "[" * 5000 + "]" * 5000, "nested more than"),
}


def spec_cases() -> list[Case]:
    return [Case(name, build) for name, build in CASES.items()]  # type: ignore[arg-type]
