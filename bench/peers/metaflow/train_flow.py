"""(d) load -> split -> train -> evaluate on the penguins CSV in Metaflow (plus Metaflow's required
end step), scikit-learn random forest with the same hyperparameters as the other pipelines.
Usage: python train_flow.py run --csv CSV"""
from metaflow import FlowSpec, Parameter, step

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


class TrainFlow(FlowSpec):
    csv = Parameter("csv", required=True)

    @step
    def start(self):  # load
        import pandas as pd

        self.rows = pd.read_csv(self.csv).dropna(subset=FEATURES).reset_index(drop=True)
        self.next(self.split)

    @step
    def split(self):
        is_test = self.rows.index % 4 == 0
        self.train_rows, self.test_rows = self.rows[~is_test], self.rows[is_test]
        self.next(self.train)

    @step
    def train(self):
        from sklearn.ensemble import RandomForestClassifier

        model = RandomForestClassifier(n_estimators=25, max_depth=12, max_features=0.8, bootstrap=True, random_state=42)
        self.model = model.fit(self.train_rows[FEATURES].to_numpy(), self.train_rows["species"].to_numpy())
        self.next(self.evaluate)

    @step
    def evaluate(self):
        predicted = self.model.predict(self.test_rows[FEATURES].to_numpy())
        self.accuracy = float((predicted == self.test_rows["species"].to_numpy()).mean())
        print(f"accuracy={self.accuracy:.4f}")
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    TrainFlow()
