"""Drives an org through the official Okta Python SDK (`okta` from PyPI,
3.x) the way an admin's script would, and checks what comes back: the
embedded org must be indistinguishable from Okta to a real client.

Creates users (password + activate, staged without credentials), reads one
by login, searches, pages every user two at a time following the SDK's own
cursor, runs suspend / unsuspend / deactivate / delete, and checks Okta's
error codes for a duplicate login and an unknown user. Prints one line per
check and exits non-zero at the first that fails.

usage: okta_sdk_check.py ORG_URL TOKEN
"""

import asyncio
import os
import sys

from okta.client import Client as OktaClient
from okta.models import CreateUserRequest
from okta.pagination import PaginationHelper


def check(what: str, ok: bool, detail: object = "") -> None:
    if not ok:
        raise SystemExit(f"okta_sdk_check: FAILED {what}: {detail}")
    print(f"ok {what}")


def no_error(what: str, err: object) -> None:
    check(what, err is None, err)


def status_of(user) -> str:
    status = user.status
    return getattr(status, "value", status)


async def main(org_url: str, token: str) -> None:
    # Plain http is only for the loopback test org: the SDK's documented
    # testing switch, read from the environment for its `testing` section.
    os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
    client = OktaClient({"orgUrl": org_url, "token": token})
    login = "sdk.check@example.com"

    body = CreateUserRequest.from_dict(
        {
            "profile": {"firstName": "Sdk", "lastName": "Check", "email": login, "login": login},
            "credentials": {"password": {"value": "Tr0ub4dor&3-sdk"}},
        }
    )
    user, _, err = await client.create_user(body, activate=True)
    no_error("create with a password, activated", err)
    check("the new user is ACTIVE", status_of(user) == "ACTIVE", status_of(user))
    password = user.credentials.password if user.credentials else None
    check("the password is not echoed", password is None or not getattr(password, "value", None), password)

    staged_login = "sdk.staged@example.com"
    staged_body = CreateUserRequest.from_dict(
        {"profile": {"firstName": "Sdk", "lastName": "Staged", "email": staged_login, "login": staged_login}}
    )
    staged, _, err = await client.create_user(staged_body, activate=False)
    no_error("create without credentials, not activated", err)
    check("the staged user is STAGED", status_of(staged) == "STAGED", status_of(staged))

    _, _, err = await client.create_user(body, activate=True)
    check("a duplicate login is refused with E0000001", err is not None and "E0000001" in str(err), err)

    found, _, err = await client.get_user(login)
    no_error("get by login", err)
    check("get by login finds the created user", found.id == user.id, (found.id, user.id))
    check("the profile came back whole", found.profile.first_name == "Sdk", found.profile)

    hits, _, err = await client.list_users(search=f'profile.login eq "{login}"')
    no_error("search", err)
    check("search finds exactly that user", [u.id for u in hits] == [user.id], [u.id for u in hits])

    everyone, _, err = await client.list_users(limit=200)
    no_error("list, one page", err)
    ids, pages, after = [], 0, None
    while True:
        if after is None:
            page, resp, err = await client.list_users(limit=2)
        else:
            page, resp, err = await client.list_users(limit=2, after=after)
        if err is not None:
            no_error(f"list, page {pages + 1} of two users", err)
        ids += [u.id for u in page]
        pages += 1
        after = PaginationHelper.extract_next_cursor(resp.headers)
        if after is None:
            break
    check(f"paging two at a time ({pages} pages) has no duplicates", len(ids) == len(set(ids)), len(ids))
    check(
        "paging two at a time has no holes",
        sorted(ids) == sorted(u.id for u in everyone),
        (len(ids), len(everyone)),
    )

    _, _, err = await client.suspend_user(user.id)
    no_error("suspend", err)
    suspended, _, _ = await client.get_user(user.id)
    check("suspended", status_of(suspended) == "SUSPENDED", status_of(suspended))
    _, _, err = await client.unsuspend_user(user.id)
    no_error("unsuspend", err)
    back, _, _ = await client.get_user(user.id)
    check("active again", status_of(back) == "ACTIVE", status_of(back))

    _, _, err = await client.deactivate_user(staged.id)
    no_error("deactivate", err)
    gone, _, _ = await client.get_user(staged.id)
    check("deactivated", status_of(gone) == "DEPROVISIONED", status_of(gone))
    _, _, err = await client.delete_user(staged.id)
    no_error("delete", err)
    _, _, err = await client.get_user(staged.id)
    check("a deleted user is not found (E0000007)", err is not None and "E0000007" in str(err), err)

    _, _, err = await client.get_user("nobody.at.all@example.com")
    check("an unknown login is not found (E0000007)", err is not None and "E0000007" in str(err), err)
    print("okta_sdk_check: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: okta_sdk_check.py ORG_URL TOKEN")
    asyncio.run(main(sys.argv[1], sys.argv[2]))
