"""`systole gemm --estimate-only --timeline FILE` writes the timing model's spans in the chip
timeline's trace-event format: one span per instruction, named by its disassembly with its
program index, never overlapping on one thread, END at the estimated cycles.

Usage: check_model_timeline.py <systole binary> <output directory>
"""
import json
import os
import subprocess
import sys

exe, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
path = os.path.join(out_dir, "model_timeline.json")
out = subprocess.run([exe, "gemm", "--m", "64", "--k", "64", "--n", "64", "--dtype", "fp8", "--estimate-only",
                      "--json", "--timeline", path], check=True, capture_output=True, text=True)
j = json.loads(out.stdout)
assert j["timeline"] == path, j
with open(path) as f:
    t = json.load(f)
spans = [e for e in t["traceEvents"] if e.get("ph") == "X"]
assert len(spans) == j["instructions"], (len(spans), j["instructions"])
assert sorted(e["args"]["index"] for e in spans) == list(range(j["instructions"])), "one span per instruction"
end = [e for e in spans if e["name"] == "END"]
assert len(end) == 1 and end[0]["ts"] == j["estimated_cycles"], ("END at the estimated cycles", end)
assert max(e["ts"] + e["dur"] for e in spans) <= j["estimated_cycles"] + 1, "nothing after END"
by_tid = {}
for e in spans:
    assert e["dur"] >= 1 and e["name"], e
    by_tid.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
for tid, s in by_tid.items():
    s.sort()
    for (b0, e0), (b1, e1) in zip(s, s[1:]):
        assert b1 >= e0, f"overlap on thread {tid}: {(b0, e0)} and {(b1, e1)}"
names = {e["args"]["name"] for e in t["traceEvents"] if e.get("name") == "thread_name"}
assert {"TENSOR", "DMA0", "SEQ waits"} <= names, names
print("ok:", len(spans), "spans, end", j["estimated_cycles"])
