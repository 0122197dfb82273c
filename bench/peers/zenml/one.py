"""The smallest ZenML pipeline: one step, uncached (issue 22's fixed cost of a run)."""
from zenml import pipeline, step


@step
def start() -> int:
    return 0


@pipeline(enable_cache=False)
def bench_one() -> None:
    start()


if __name__ == "__main__":
    bench_one()
