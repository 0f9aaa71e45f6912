"""One benchmark run in a fresh process: `python -m stemwire.flows.quality.bench_child RAW OUT RERUNS`.

Runs the Prefect flow over RAW into OUT, then RERUNS more times over the same files, and prints one
JSON line: seconds of the first run (including Prefect's start-up), of each rerun, and the process's
peak resident memory.
"""

import json
import sys
import time
from pathlib import Path

from stemwire.flows import validation_process
from stemwire.flows.environment import configure_prefect_environment


def main(raw: Path, out: Path, reruns: int) -> None:
    configure_prefect_environment()
    from stemwire.flows.run_flow import stemwire_run

    start = time.perf_counter()
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    first = time.perf_counter() - start
    rerun_s = []
    for _ in range(reruns):
        start = time.perf_counter()
        stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
        rerun_s.append(time.perf_counter() - start)
    run_mb, validator_mb = validation_process.peak_rss_mb(), validation_process.largest_worker_mb()
    # Both processes of a run together (their peaks may fall at different times: an upper bound).
    figures = {"run_s": first, "rerun_s": rerun_s, "peak_rss_mb": run_mb + validator_mb}
    print(json.dumps({**figures, "run_process_mb": run_mb, "validation_process_mb": validator_mb}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
