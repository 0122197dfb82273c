"""The smallest Metaflow flow: start and end, which Metaflow requires (issue 22's fixed cost of a run)."""
from metaflow import FlowSpec, step


class OneFlow(FlowSpec):
    @step
    def start(self):
        self.x = 0
        self.next(self.end)

    @step
    def end(self):
        assert self.x == 0


if __name__ == "__main__":
    OneFlow()
