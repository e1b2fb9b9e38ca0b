"""onnxruntime sessions, one per model file and thread count per process.

A worker process loads each model once (hundreds of milliseconds) and every activity
thread reuses it; `InferenceSession.run` is thread-safe.
"""

from functools import lru_cache
from pathlib import Path

import onnxruntime as ort


@lru_cache(maxsize=16)
def session_for(path: Path, threads: int = 1) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
