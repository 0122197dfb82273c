"""(a) A chain of 10 trivial steps in Metaflow (start, 8 middle steps, end), each adding one."""
from metaflow import FlowSpec, step


class ChainFlow(FlowSpec):
    @step
    def start(self):
        self.x = 0
        self.next(self.s1)

    @step
    def s1(self):
        self.x += 1
        self.next(self.s2)

    @step
    def s2(self):
        self.x += 1
        self.next(self.s3)

    @step
    def s3(self):
        self.x += 1
        self.next(self.s4)

    @step
    def s4(self):
        self.x += 1
        self.next(self.s5)

    @step
    def s5(self):
        self.x += 1
        self.next(self.s6)

    @step
    def s6(self):
        self.x += 1
        self.next(self.s7)

    @step
    def s7(self):
        self.x += 1
        self.next(self.s8)

    @step
    def s8(self):
        self.x += 1
        self.next(self.end)

    @step
    def end(self):
        self.x += 1
        assert self.x == 9, self.x


if __name__ == "__main__":
    ChainFlow()
