"""`systole gemm --json` prints exactly one JSON object with the documented fields.

Usage: check_json.py <systole binary>
"""
import json
import subprocess
import sys

exe = sys.argv[1]
out = subprocess.run([exe, "gemm", "--m", "6", "--k", "21", "--n", "9", "--dtype", "bf16", "--out", "bf16",
                      "--b-layout", "col", "--config", "fpga", "--json"], check=True, capture_output=True, text=True)
j = json.loads(out.stdout)  # the whole output is one object
for key in ("status", "cycles", "utilization", "dram_bytes_read", "dram_bytes_written", "bit_exact", "within_bound",
            "races", "macs", "estimated_cycles", "estimated_utilization", "plan"):
    assert key in j, f"missing {key}: {j}"
assert j["status"] == "match", j
assert j["cycles"] is None and j["utilization"] is None, j  # the golden model has no cycles
assert j["macs"] == 6 * 21 * 9, j
assert j["dram_bytes_written"] == 6 * 9 * 2, j
assert j["races"] == [], j
print("ok:", out.stdout.strip()[:100], "...")
