"""Suspends the users a search selects with the official Okta Python SDK
(`okta` from PyPI, 3.x), in the loop an admin writes: list them (limit=200,
the cursor of each `next` link as `after=`), then suspend each, one after
another. 429s are left to the SDK's own retry (it waits for the reset the
headers announce, as its documentation describes); the client is used as an
async context manager, so every request reuses one HTTP session.

Prints one line for scripts/bench:
`users=N suspended=S failed=F first_request_to_end_s=T`.

usage: bench_okta_sdk_bulk.py ORG_URL TOKEN SEARCH
"""

import asyncio
import os
import sys
import time

from okta.client import Client as OktaClient
from okta.pagination import PaginationHelper


async def suspend_all(org_url: str, token: str, search: str) -> None:
    # Plain http on loopback: the SDK's documented testing switch.
    os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
    async with OktaClient({"orgUrl": org_url, "token": token}) as client:
        started = time.perf_counter()
        ids, after = [], None
        while True:
            if after is None:
                users, resp, err = await client.list_users(search=search, limit=200)
            else:
                users, resp, err = await client.list_users(search=search, limit=200, after=after)
            if err:
                raise SystemExit(f"bench_okta_sdk_bulk: listing failed: {err}")
            ids.extend(u.id for u in users or [])
            after = PaginationHelper.extract_next_cursor(resp.headers)
            if after is None:
                break
        failed = 0
        for user_id in ids:
            answer = await client.suspend_user(user_id)
            if answer[-1]:
                failed += 1
        seconds = time.perf_counter() - started
    print(f"users={len(ids)} suspended={len(ids) - failed} failed={failed} first_request_to_end_s={seconds:.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: bench_okta_sdk_bulk.py ORG_URL TOKEN SEARCH")
    asyncio.run(suspend_all(sys.argv[1], sys.argv[2], sys.argv[3]))
