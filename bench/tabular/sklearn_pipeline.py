"""pandas + scikit-learn baseline of the same chain: read_csv, describe, 80/20 split,
RandomForestClassifier(n_estimators=25, n_jobs=2), predict, accuracy. One JSON line out."""
import json, resource, sys, time
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

path = sys.argv[1]
t0 = time.perf_counter()
stages = {}
def lap(name, since=[t0]):
    now = time.perf_counter(); stages[name] = round(now - since[0], 2); since[0] = now
df = pd.read_csv(path); lap("read_csv")
df.describe(include="all"); lap("describe")
df = df.dropna(subset=["Species"])
X = pd.get_dummies(df.drop(columns=["Species"]), columns=["Island"]).fillna(df.mean(numeric_only=True))
y = df["Species"]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0); lap("split")
model = RandomForestClassifier(n_estimators=25, n_jobs=2, random_state=0).fit(Xtr, ytr); lap("train")
accuracy = float((model.predict(Xte) == yte.values).mean()); lap("evaluate")
print(json.dumps({"rows": len(df), "seconds": round(time.perf_counter() - t0, 2), "stages": stages,
                  "accuracy": accuracy, "peakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
