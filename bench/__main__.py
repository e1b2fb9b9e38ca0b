"""Run every benchmark in `bench.BENCHMARKS` and print one markdown table of their figures."""

import importlib

from bench import BENCHMARKS


def main() -> None:
    rows = []
    for name in BENCHMARKS:
        figures = importlib.import_module(f"bench.{name}").run()
        rows.extend((name, metric, value) for metric, value in figures.items() if not isinstance(value, dict))
    print("| bench | metric | value |")
    print("| --- | --- | --- |")
    for name, metric, value in rows:
        print(f"| {name} | {metric} | {value:,.1f} |" if isinstance(value, float) else f"| {name} | {metric} | {value} |")


if __name__ == "__main__":
    main()
