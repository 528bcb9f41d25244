"""Scale out: the analysis on a Dask cluster (``DaskExecutor``, ``analysed_on_cluster`` for
``babelwire ingest --cluster``) and offline batches into Parquet (``run_batch`` for ``babelwire batch``).

A cluster is named ``local:N`` (a LocalCluster of N single-threaded worker processes on this
machine) or by its scheduler's address, ``tcp://HOST:8786``.
"""

from __future__ import annotations

from babelwire.cluster.executor import (
    ClusterError,
    ClusterSpec,
    DaskExecutor,
    PipelinePlugin,
    analysed_on_cluster,
    cluster_client,
    parse_cluster,
)

__all__ = [
    "ClusterError",
    "ClusterSpec",
    "DaskExecutor",
    "PipelinePlugin",
    "analysed_on_cluster",
    "cluster_client",
    "parse_cluster",
    "read_warc",
    "run_batch",
]


def __getattr__(name: str):
    # The batch (pyarrow) and the WARC reader (warcio) load on first use.
    if name == "run_batch":
        from babelwire.cluster.batch import run_batch

        return run_batch
    if name == "read_warc":
        from babelwire.cluster.warc import read_warc

        return read_warc
    raise AttributeError(f"module 'babelwire.cluster' has no attribute {name!r}")
