"""Reads the org's System Log through the official Okta Python SDK (`okta`
from PyPI, 3.x), as an admin's audit script would: a bounded query paged
to its end with the SDK's own `next` handling, and a filtered one. The
SDK parses every event into its typed `LogEvent` model, so an event the
org shapes differently from Okta fails here.

usage: okta_sdk_logs_check.py ORG_URL TOKEN
"""

import asyncio
import datetime
import os
import sys

from okta.client import Client as OktaClient
from okta.pagination import PaginationHelper


def check(what: str, ok: bool, detail: object = "") -> None:
    if not ok:
        raise SystemExit(f"okta_sdk_logs_check: FAILED {what}: {detail}")
    print(f"ok {what}")


def iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def value(enum_or_text):
    return getattr(enum_or_text, "value", enum_or_text)


async def main(org_url: str, token: str) -> None:
    os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
    client = OktaClient({"orgUrl": org_url, "token": token})
    now = datetime.datetime.now(datetime.timezone.utc)
    since, until = iso(now - datetime.timedelta(days=31)), iso(now + datetime.timedelta(minutes=1))

    events, resp, err = await client.list_log_events(since=since, until=until, limit=100)
    check("a bounded query answers", err is None, err)
    pages = 1
    # The SDK's cursor from the `next` link; `after` replaces `since`.
    while (after := PaginationHelper.extract_next_cursor(resp.headers)) is not None:
        more, resp, err = await client.list_log_events(until=until, after=after, limit=100)
        check(f"page {pages + 1} answers", err is None, err)
        events += more
        pages += 1
        if pages > 200:
            check("the bounded query ends", False, pages)
    check(f"a month of history in {pages} pages", len(events) > 200 and pages > 2, (len(events), pages))
    uuids = [e.uuid for e in events]
    check("no event twice", len(set(uuids)) == len(uuids), len(uuids))
    published = [e.published for e in events]
    check("pages come in published order", published == sorted(published))
    check("every event has a type and an actor", all(e.event_type and e.actor and e.actor.id for e in events))

    whole, _, err = await client.list_log_events(since=since, until=until, limit=1000)
    check("one page of 1000 answers", err is None, err)
    check("paging lost nothing", sorted(e.uuid for e in whole) == sorted(uuids), (len(whole), len(uuids)))

    locks, _, err = await client.list_log_events(
        since=since, until=until, filter='eventType eq "user.account.lock"', sort_order="DESCENDING"
    )
    check("a filtered query answers", err is None, err)
    check("the filter finds the lockouts", len(locks) == 4 and all(e.event_type == "user.account.lock" for e in locks), len(locks))
    check("newest first", [e.published for e in locks] == sorted((e.published for e in locks), reverse=True))
    lock = locks[0]
    check("the typed model reads the actor", lock.actor.type == "User" and "@" in lock.actor.alternate_id, lock.actor)
    check("and the severity", value(lock.severity) == "WARN", lock.severity)
    check("and where it came from", lock.client.geographical_context.city is not None, lock.client)

    _, _, err = await client.list_log_events(filter='published gt "2024-01-01T00:00:00.000Z"')
    check("a filter on published is refused (E0000053)", err is not None and "E0000053" in str(err), err)
    print("okta_sdk_logs_check: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: okta_sdk_logs_check.py ORG_URL TOKEN")
    asyncio.run(main(sys.argv[1], sys.argv[2]))
