"""Lists every user of an org with the official Okta Python SDK (`okta` from
PyPI), limit=200, following the `next` link the way the SDK's README pages:
`client.list_users(...)`, then `resp.next()` while `resp.has_next()`.

Prints one line for scripts/bench: `users=N pages=P seconds=S`, where the
seconds run from the first request to the last page (interpreter start,
imports and client setup are not counted, which favours the SDK).

usage: bench_okta_sdk.py ORG_URL TOKEN
"""

import asyncio
import sys
import time

from okta.client import Client as OktaClient


async def list_everyone(org_url: str, token: str) -> None:
    config = {
        "orgUrl": org_url,
        "token": token,
        # The benchmark org is plain http on loopback; this is the SDK's
        # documented switch for that.
        "testing": {"testingDisableHttpsCheck": True},
    }
    client = OktaClient(config)
    started = time.perf_counter()
    users, resp, err = await client.list_users(limit=200)
    if err:
        raise SystemExit(f"bench_okta_sdk: the first page failed: {err}")
    count, pages = len(users), 1
    while resp.has_next():
        users, err = await resp.next()
        if err:
            raise SystemExit(f"bench_okta_sdk: page {pages + 1} failed: {err}")
        count += len(users)
        pages += 1
    seconds = time.perf_counter() - started
    print(f"users={count} pages={pages} seconds={seconds:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: bench_okta_sdk.py ORG_URL TOKEN")
    asyncio.run(list_everyone(sys.argv[1], sys.argv[2]))
