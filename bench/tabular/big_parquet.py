"""The 1 GiB Parquet file of the issue's ingest target, and pyarrow's side of the comparison.

`generate OUT ROWS`: a seeded table written by pyarrow (snappy, default row groups of 1 Mi rows,
pyarrow's default encodings): 8 full-precision float64 features with ~1 % nulls (they barely
compress, so the file is mostly numbers as a training set is), an int64 count, a boolean flag and two
low-cardinality string columns (dictionary-encoded). ~14.5 M rows make ~1 GiB.
`read FILE`: pq.read_table with threads (the default) and with one thread. `write FILE OUT`: read
FILE, time pq.write_table of that table to OUT (snappy). `equal ORIGINAL WRITTEN`: whether Strata's
written file reads back (in pyarrow) as the original table. One JSON line each."""
import json, os, resource, sys, time
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

def timed(fn):
    t = time.perf_counter(); value = fn(); return value, round(time.perf_counter() - t, 3)

def cpu_timed(fn):
    """Wall and CPU seconds (all threads) of fn: the CPU figure does not depend on the machine's load."""
    t, c = time.perf_counter(), time.process_time(); value = fn()
    return value, round(time.perf_counter() - t, 3), round(time.process_time() - c, 3)

mode, *args = sys.argv[1:]
out = {}
if mode == "generate":
    target, rows = args[0], int(args[1])
    rng = np.random.default_rng(1)
    writer = None
    step = 1 << 20
    species = np.array(["Adelie", "Chinstrap", "Gentoo"])
    islands = np.array(["Biscoe", "Dream", "Torgersen"])
    for start in range(0, rows, step):
        n = min(step, rows - start)
        cols = {}
        for f in range(8):
            values = rng.normal(100 * (f + 1), 10 * (f + 1), n)
            cols[f"f{f}"] = pa.array(values, mask=rng.random(n) < 0.01)
        cols["count"] = pa.array(rng.integers(0, 1_000_000, n, dtype=np.int64))
        cols["flag"] = pa.array(rng.random(n) < 0.3)
        cols["species"] = pa.array(species[rng.integers(0, 3, n)])
        cols["island"] = pa.array(islands[rng.integers(0, 3, n)], mask=rng.random(n) < 0.01)
        table = pa.table(cols)
        if writer is None:
            writer = pq.ParquetWriter(target + ".partial", table.schema, compression="snappy")
        writer.write_table(table, row_group_size=step)
    writer.close()
    os.replace(target + ".partial", target)
    out["bytes"] = os.path.getsize(target)
    out["rows"] = rows
elif mode == "read":
    path = args[0]
    table, s, cpu = cpu_timed(lambda: pq.read_table(path))
    rows = table.num_rows
    nbytes = table.nbytes
    del table
    _, s1, cpu1 = cpu_timed(lambda: pq.read_table(path, use_threads=False))
    out = {"seconds": s, "cpuSeconds": cpu, "oneThreadSeconds": s1, "oneThreadCpuSeconds": cpu1, "rows": rows, "tableBytes": nbytes}
elif mode == "write":
    path, target = args
    table = pq.read_table(path)
    _, s = timed(lambda: pq.write_table(table, target, compression="snappy"))
    out = {"seconds": s, "bytes": os.path.getsize(target), "rows": table.num_rows}
elif mode == "equal":
    # Strata's tables hold every number as float64: compare with the original cast the same way.
    original, written = (pq.read_table(p) for p in args)
    cast = pa.table({
        f.name: original[f.name].cast(pa.float64()) if pa.types.is_integer(f.type) else original[f.name]
        for f in original.schema
    })
    out = {"equal": written.cast(cast.schema).equals(cast), "rows": written.num_rows}
out["peakRssMb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
