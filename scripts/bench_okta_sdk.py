"""Lists every user of an org with the official Okta Python SDK (`okta` from
PyPI, 3.x), limit=200, the way its documentation advises: the client used as
an async context manager (`async with`), so that every request reuses one
HTTP session, and the pages followed through the cursor of the `next` link
(`PaginationHelper.extract_next_cursor`) as `after=` until there is none
(2.x's `resp.has_next()` / `resp.next()` are gone from 3.x's responses).
Each page is parsed by the SDK into its typed `User` models, as any program
using the SDK gets them.

Prints one line for scripts/bench:
`users=N pages=P first_request_to_end_s=S`, where S runs from the first
request to the last page. scripts/bench also times the whole process (from
start, interpreter and imports included), the way it times `oktui export`.

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
    async with OktaClient({"orgUrl": org_url, "token": token}) as client:
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
    print(f"users={count} pages={pages} first_request_to_end_s={seconds:.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: bench_okta_sdk.py ORG_URL TOKEN")
    asyncio.run(list_everyone(sys.argv[1], sys.argv[2]))
