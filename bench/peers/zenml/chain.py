"""(a)/(c) A chain of 10 trivial steps in ZenML: each adds one to an int. Run twice in the same
ZenML repository and the second run is fully cached (ZenML caches by default)."""
from zenml import pipeline, step

STEPS = 10


@step
def start() -> int:
    return 0


@step
def inc(x: int) -> int:
    return x + 1


@pipeline
def bench_chain() -> None:
    x = start()
    for i in range(1, STEPS):
        x = inc(x, id=f"inc_{i}")


if __name__ == "__main__":
    import sys

    # --no-cache for case (a); without it the run after the first is fully cached, case (c).
    (bench_chain.with_options(enable_cache=False) if "--no-cache" in sys.argv else bench_chain)()
