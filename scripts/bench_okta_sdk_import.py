"""Creates the users of a CSV file with the official Okta Python SDK (`okta`
from PyPI, 3.x), in the loop an admin writes: read the file with the
standard `csv` module, then `create_user` for each row, one after another,
the client used as an async context manager (`async with`) so every request
reuses one HTTP session. Users are created STAGED (`activate=False`), as
`oktui import` does by default. The SDK's own retry of 429s is left as it
is configured by default.

Prints one line for scripts/bench: `created=N failed=F first_request_to_end_s=S`.

usage: bench_okta_sdk_import.py ORG_URL TOKEN FILE.csv
"""

import asyncio
import csv
import os
import sys
import time

from okta.client import Client as OktaClient
from okta.models import CreateUserRequest


async def create_everyone(org_url: str, token: str, path: str) -> None:
    # Plain http on loopback: the SDK's documented testing switch (see bench_okta_sdk.py).
    os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    async with OktaClient({"orgUrl": org_url, "token": token}) as client:
        started = time.perf_counter()
        created, failed = 0, 0
        for row in rows:
            body = CreateUserRequest.from_dict({"profile": {k: v for k, v in row.items() if v}})
            _, _, err = await client.create_user(body, activate=False)
            if err:
                failed += 1
                print(f"bench_okta_sdk_import: {row.get('login')}: {err}", file=sys.stderr)
            else:
                created += 1
        seconds = time.perf_counter() - started
    print(f"created={created} failed={failed} first_request_to_end_s={seconds:.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: bench_okta_sdk_import.py ORG_URL TOKEN FILE.csv")
    asyncio.run(create_everyone(sys.argv[1], sys.argv[2], sys.argv[3]))
