"""(d) load -> split -> train -> evaluate on the penguins CSV in ZenML, scikit-learn random forest with
the same hyperparameters as the Strata and Metaflow pipelines. Usage: python train.py CSV"""
import sys

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from typing_extensions import Annotated
from zenml import pipeline, step

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


@step
def load(csv: str) -> pd.DataFrame:
    return pd.read_csv(csv).dropna(subset=FEATURES).reset_index(drop=True)


@step
def split(rows: pd.DataFrame) -> tuple[Annotated[pd.DataFrame, "train"], Annotated[pd.DataFrame, "test"]]:
    # Deterministic, as in the other pipelines: every 4th row is a test row.
    is_test = rows.index % 4 == 0
    return rows[~is_test], rows[is_test]


@step
def train(train: pd.DataFrame) -> RandomForestClassifier:
    model = RandomForestClassifier(n_estimators=25, max_depth=12, max_features=0.8, bootstrap=True, random_state=42)
    return model.fit(train[FEATURES].to_numpy(), train["species"].to_numpy())


@step
def evaluate(model: RandomForestClassifier, test: pd.DataFrame) -> float:
    accuracy = float((model.predict(test[FEATURES].to_numpy()) == test["species"].to_numpy()).mean())
    print(f"accuracy={accuracy:.4f}")
    return accuracy


@pipeline(enable_cache=False)
def bench_train(csv: str) -> None:
    rows = load(csv)
    train_rows, test_rows = split(rows)
    model = train(train_rows)
    evaluate(model, test_rows)


if __name__ == "__main__":
    bench_train(csv=sys.argv[1])
