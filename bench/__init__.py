"""Benchmarks run by `make bench` (`python -m bench`).

Each module in `BENCHMARKS` exposes `run() -> dict` of named figures and writes its own
`bench/results/<name>.json` and `.md`; the runner prints one markdown table of them all.
"""

BENCHMARKS = ("locate", "vision", "intake", "lifecycle")
