"""(b) 100-wide fan-out (foreach) and fan-in (join) in Metaflow: start -> square x100 -> join -> end."""
from metaflow import FlowSpec, step

WIDTH = 100


class FanoutFlow(FlowSpec):
    @step
    def start(self):
        self.items = list(range(WIDTH))
        self.next(self.square, foreach="items")

    @step
    def square(self):
        self.y = self.input * self.input
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.y for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        assert self.total == sum(i * i for i in range(WIDTH)), self.total


if __name__ == "__main__":
    FanoutFlow()
