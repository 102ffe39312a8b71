"""A simulated two-node Ray cluster on one machine: sweep points spread over both nodes."""

from __future__ import annotations

import pytest

from mmbench.api import run
from mmbench.tracking import schema
from tests.scaleout import raykit

raykit.loopback_env()
ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def two_nodes():
    loopback = {"num_cpus": 1, "node_ip_address": "127.0.0.1"}
    args = {**loopback, "include_dashboard": False}
    cluster = cluster_utils.Cluster(initialize_head=True, head_node_args=args)
    cluster.add_node(**loopback)
    cluster.wait_for_nodes()
    yield cluster
    ray.shutdown()
    cluster.shutdown()


def test_points_run_on_both_nodes_of_a_cluster(two_nodes, tmp_path, mlflow_uri):
    spec = raykit.write_spec(tmp_path)
    out = run(spec, [f"execution.address={two_nodes.address}"])
    assert not out.failures and len(out.outcomes) == 2
    runs = raykit.train_runs(mlflow_uri)
    assert {r.info.status for r in runs} == {"FINISHED"} and len(runs) == 2
    nodes = {r.data.tags[schema.RAY_NODE] for r in runs}
    assert len(nodes) == 2  # one CPU per node, one CPU per point: both nodes worked
    ray.init(address=two_nodes.address)  # the sweep's own connection ended with it
    assert nodes <= {n["NodeID"] for n in ray.nodes()}
