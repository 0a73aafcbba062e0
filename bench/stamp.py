"""Appends the current wall time to a file: the rollback step of the benchmark plans."""
import sys
import time

with open(sys.argv[1], "a") as f:
    f.write(f"{time.time():.6f}\n")
