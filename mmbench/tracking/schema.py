"""Names of the MLflow tags mmbench writes and reads: the one place they are spelt.

Training, sweeps, external evaluation and reports import these constants instead of writing
the strings, so a tag cannot be written under one name and read under another.
"""

from __future__ import annotations

# what a run is
KIND = "mmbench.kind"  # "train" | "sweep" | "eval"
KIND_TRAIN, KIND_SWEEP, KIND_EVAL = "train", "sweep", "eval"
SOURCE = "source"  # "trained" | "external"
VERSION = "mmbench.version"
TASK = "mmbench.task"
TASK_VERSION = "mmbench.task_version"  # the task's ``version``: data, decoding and metrics
PRIMARY_METRIC = "mmbench.primary_metric"
GIT_COMMIT = "mlflow.source.git.commit"
PARENT_RUN = "mlflow.parentRunId"
METRIC_FINGERPRINT = "mmbench.metric."  # prefix: + metric name

# where a run was computed (mmbench.tracking.environment)
ENV_CPU = "mmbench.env.cpu"
ENV_TORCH = "mmbench.env.torch"
ENV_THREADS = "mmbench.env.threads"  # torch intra-op threads
ENV_PACKAGES = "mmbench.env.packages"  # versions of the libraries that decode and compute inputs
ENV_CUDA = "mmbench.env.cuda"  # the CUDA device's name, when one is used
ENV_WORLD_SIZE = "mmbench.env.world_size"  # ranks that trained the run (torchrun), when > 1

# identity of a configuration
SPEC_HASH = "mmbench.spec_hash"  # everything that changes results, seed included
GROUP = "mmbench.group"  # the configuration across seeds
SEED = "mmbench.seed"
LABEL = "mmbench.label"
SWEEP_POINT = "mmbench.sweep_point"

# sweep parents
PLAN_HASH = "mmbench.plan_hash"
SWEEP_KEYS = "mmbench.sweep_keys"
POINTS = "mmbench.points"
FAILURES = "mmbench.failures"

# claims: who runs a configuration now (see mmbench.sweeps.claims)
OWNER_HOST = "mmbench.owner.host"
OWNER_PID = "mmbench.owner.pid"
OWNER_START = "mmbench.owner.start"  # the owner process's start token (guards pid reuse)
HEARTBEAT = "mmbench.heartbeat"  # unix seconds of the owner's last sign of life
FORCED = "mmbench.forced"  # "1": a --force run, which supersedes earlier finished runs
SUPERSEDED_BY = "mmbench.superseded_by"  # run id of the forced run that replaced this one
ENDED_BECAUSE = "mmbench.ended_because"  # why mmbench (not the run itself) ended a run
EVALUATED_RUN = "mmbench.evaluated_run"  # an eval run of a trained model: the trained run id

# Ray backend (see mmbench.sweeps.ray_backend)
RAY_TASK = "mmbench.ray_task"  # one id per point's Ray task, shared by all its attempts
RAY_NODE = "mmbench.ray_node"  # the Ray node the attempt ran on

# failures
FAILURE_REASON = "mmbench.failure.reason"
FAILURE_STEP = "mmbench.failure.step"
SKIPPED_BATCHES = "mmbench.skipped_batches"
STOPPED = "mmbench.stopped"  # why training ended: "plateau" | "epochs" | "max_steps"
STILL_IMPROVING = "mmbench.still_improving"  # "1": ended by a cap while validation improved

# tuning (see mmbench.tuning): trials and their study parents never reach a leaderboard
STAGE = "mmbench.stage"  # "trial" | "study" | "final"; absent on runs of specs without tune:
STAGE_TRIAL, STAGE_STUDY, STAGE_FINAL = "trial", "study", "final"
STUDY = "mmbench.study"  # the Optuna study (one per configuration, named from its hash)
TRIAL = "mmbench.trial"  # the trial's number in its study
TUNE_TRIALS = "mmbench.tune.trials"  # final runs: the budget their values were chosen with
TUNED_PARAM = "tuned."  # prefix of the final runs' params: + the searched dotted key
# the search a final run's values came from, also on its study's parent run (mmbench.tuning.study)
TUNE_SPACE = "mmbench.tune.space"  # JSON {dotted key: {type, low, high, step, choices}}
TUNE_SEED = "mmbench.tune.seed"  # the search seed (the same for every configuration)
TUNE_SAMPLER = "mmbench.tune.sampler"  # the Optuna sampler, e.g. "TPESampler"
TUNE_PRUNER = "mmbench.tune.pruner"  # "none" | "median" | "successive_halving"
TUNE_OBJECTIVE = "mmbench.tune.objective"  # the score trials were judged by: "val/<metric>"
TUNE_BEST_TRIAL = "mmbench.tune.best_trial"  # final runs: the trial whose values they ran
