"""pyarrow's side of the Parquet comparison. `write CSV OUT`: read the CSV with pyarrow.csv and
write it as Parquet (snappy, 128 Ki-row groups, like Strata's writer). `read FILE...`: read each
file into a table with pq.read_table (threads on: the default) and with one thread. One JSON line."""
import json, os, resource, sys, time
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

def timed(fn):
    t = time.perf_counter(); value = fn(); return value, round(time.perf_counter() - t, 2)

mode, *paths = sys.argv[1:]
out = {}
if mode == "write":
    csv, target = paths
    table = pacsv.read_csv(csv)
    _, s = timed(lambda: pq.write_table(table, target, compression="snappy", row_group_size=131072))
    out["write"] = {"seconds": s, "bytes": os.path.getsize(target), "rows": table.num_rows}
else:
    for path in paths:
        table, s = timed(lambda: pq.read_table(path))
        _, s1 = timed(lambda: pq.read_table(path, use_threads=False))
        out[os.path.basename(path)] = {"seconds": s, "oneThreadSeconds": s1, "rows": table.num_rows}
out["peakRssMb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
