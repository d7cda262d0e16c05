"""Runs `systole gemm --save` and loads the .npy files with NumPy (only registered when NumPy exists).

Usage: check_npy.py <systole binary> <output directory>
Checks shapes, dtypes and that C equals A @ B for int8 (exact in int64) and is close for bf16.
"""
import subprocess
import sys

import numpy as np

exe, out = sys.argv[1], sys.argv[2]
for dtype, want_in, want_out in (("int8", np.int8, np.int32), ("bf16", np.float32, np.float32)):
    d = f"{out}/{dtype}"
    subprocess.run([exe, "gemm", "--m", "5", "--k", "7", "--n", "3", "--dtype", dtype, "--config", "default",
                    "--save", d], check=True, stdout=subprocess.DEVNULL)
    a, b, c = (np.load(f"{d}/{n}.npy") for n in ("A", "B", "C"))
    assert a.shape == (5, 7) and b.shape == (7, 3) and c.shape == (5, 3), (a.shape, b.shape, c.shape)
    assert a.dtype == want_in and b.dtype == want_in and c.dtype == want_out, (a.dtype, b.dtype, c.dtype)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    if dtype == "int8":
        assert np.array_equal(c.astype(np.int64), ref.astype(np.int64)), (c, ref)
    else:
        assert np.allclose(c, ref, rtol=1e-5, atol=1e-5), (c, ref)
print("numpy loads A.npy, B.npy, C.npy with the right shapes, dtypes and values")
