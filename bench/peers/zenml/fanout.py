"""(b) 100-wide fan-out and fan-in in ZenML, the documented way (docs: "Fan in, fan out"): one
source step, 100 parallel steps, and a combine step that runs after them and loads their outputs
through the Client."""
from zenml import get_step_context, pipeline, step
from zenml.client import Client

WIDTH = 100


@step
def items() -> list[int]:
    return list(range(WIDTH))


@step
def square(values: list[int], i: int) -> int:
    return values[i] * values[i]


@step
def total() -> int:
    run = Client().get_pipeline_run(get_step_context().pipeline_run.id)
    values = [info.outputs["output"][0].load() for name, info in run.steps.items() if name.startswith("square_")]
    assert len(values) == WIDTH, len(values)
    return sum(values)


@pipeline(enable_cache=False)
def bench_fanout() -> None:
    values = items()
    ids = [square(values, i, id=f"square_{i}") for i in range(WIDTH)]
    total(after=[f"square_{i}" for i in range(WIDTH)])
    del ids


if __name__ == "__main__":
    bench_fanout()
