"""Lists every user of an org with the official Okta Python SDK (`okta` from
PyPI, 3.x), limit=200, following the `next` link the way 3.x pages:
`client.list_users(limit=200)`, then the cursor of the `next` link
(`PaginationHelper.extract_next_cursor`) as `after=` until there is none.
(2.x's `resp.has_next()` / `resp.next()` are gone from 3.x's responses.)

Prints one line for scripts/bench: `users=N pages=P seconds=S`, where the
seconds run from the first request to the last page (interpreter start,
imports and client setup are not counted, which favours the SDK).

usage: bench_okta_sdk.py ORG_URL TOKEN
"""

import asyncio
import os
import sys
import time

from okta.client import Client as OktaClient
from okta.pagination import PaginationHelper


async def list_everyone(org_url: str, token: str) -> None:
    # The benchmark org is plain http on loopback: the SDK's testing switch
    # `testing.testingDisableHttpsCheck`, set the documented way for the
    # `testing` section (an OKTA_TESTING_* variable; the dict given to the
    # client only fills its `client` section).
    os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
    client = OktaClient({"orgUrl": org_url, "token": token})
    started = time.perf_counter()
    count, pages, after = 0, 0, None
    while True:
        if after is None:
            users, resp, err = await client.list_users(limit=200)
        else:
            users, resp, err = await client.list_users(limit=200, after=after)
        if err:
            raise SystemExit(f"bench_okta_sdk: page {pages + 1} failed: {err}")
        count += len(users or [])
        pages += 1
        after = PaginationHelper.extract_next_cursor(resp.headers)
        if after is None:
            break
    seconds = time.perf_counter() - started
    print(f"users={count} pages={pages} seconds={seconds:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: bench_okta_sdk.py ORG_URL TOKEN")
    asyncio.run(list_everyone(sys.argv[1], sys.argv[2]))
