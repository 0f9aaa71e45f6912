"""One benchmark run in a fresh process:
`python -m stemwire.flows.quality.bench_child RAW OUT RERUNS WORKERS [no-store]`.

Runs the Prefect flow over RAW into OUT with WORKERS workers (as `stemwire run --workers` does, or as
`stemwire run --no-store` does when the fifth argument says so), then
RERUNS more times over the same files, and prints one JSON line: seconds of the first run (Prefect's
start-up included) and of each rerun.
"""

import json
import sys
import time
from pathlib import Path

from stemwire.flows.api_server import RunApiServer
from stemwire.flows.environment import configure_prefect_environment


def main(raw: Path, out: Path, reruns: int, workers: int, store: bool = True) -> None:
    start = time.perf_counter()  # the first run's seconds include the server's start, as a user waits for it
    configure_prefect_environment()
    with RunApiServer() as server:  # as `stemwire run` starts one
        from stemwire.flows.run_flow import load_ahead, stemwire_run, task_runner_for

        flow = stemwire_run.with_options(task_runner=task_runner_for(workers))
        load_ahead(workers)
        server.ready()
        with server.flow_settings():
            flow(raw_dir=raw, out_dir=out, settle_seconds=0, workers=workers, store=store)
            first = time.perf_counter() - start
            rerun_s = []
            for _ in range(reruns):
                start = time.perf_counter()
                flow(raw_dir=raw, out_dir=out, settle_seconds=0, workers=workers, store=store)
                rerun_s.append(time.perf_counter() - start)
    print(json.dumps({"run_s": first, "rerun_s": rerun_s}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:] != ["no-store"])
