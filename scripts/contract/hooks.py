"""Schemathesis hooks of the contract check (scripts/contract-check.sh loads this file).

Every generated request with a well-formed `Idempotency-Key` gets a fresh one (a UUID) before
it is sent. The fuzzer draws keys from a small space and does not know that the server
remembers them: it would send one key with two different bodies, which the server rightly
refuses (422 `idempotency_key_reused`), or the same request twice, which it rightly answers
with the first answer again, and both would read as the server refusing valid data or
answering stale data. A malformed key is sent as generated, so that the server's 422 for it is
still tested. The tests in crates/api/tests/api/idempotency.rs cover what the server does with
a key it has seen (docs/api-contract.md).

A well-formed task-list cursor is dropped from the request. A cursor carries a digest of the
filters and sort of the list that handed it out, so a made-up one (schema-valid, since the
digest is only hex) names no page and is rightly refused with a 422; the fuzzer cannot know
that. A malformed cursor is sent as generated. The tests in crates/api/tests/api/
task_details.rs walk real cursors, and refuse them with other filters or another sort.
"""

import re
import uuid

import schemathesis

HEADER = "Idempotency-Key"
WELL_FORMED = re.compile(r"[\x20-\x7e]{1,255}")
TASK_LISTS = {"/api/projects/{id}/tasks", "/api/tasks"}
TASK_CURSOR = re.compile(r"[ta][ndpcu][0-9a-f]{12}\.(n|-?[0-9]{1,19})?\.[0-9a-f]{32}\.[0-9]{1,10}")


@schemathesis.hook
def before_call(context, case, kwargs):
    query = case.query
    if case.method.upper() == "GET" and case.operation.path in TASK_LISTS and query:
        cursor = query.get("cursor")
        if isinstance(cursor, str) and TASK_CURSOR.fullmatch(cursor):
            del query["cursor"]
    headers = case.headers
    if not headers:
        return
    for name, value in headers.items():
        if name.lower() == HEADER.lower() and isinstance(value, str) and WELL_FORMED.fullmatch(value):
            headers[name] = str(uuid.uuid4())
