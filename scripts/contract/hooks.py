"""Schemathesis hooks of the contract check (scripts/contract-check.sh loads this file).

Every generated request with a well-formed `Idempotency-Key` gets a fresh one (a UUID) before
it is sent. The fuzzer draws keys from a small space and does not know that the server
remembers them: it would send one key with two different bodies, which the server rightly
refuses (422 `idempotency_key_reused`), or the same request twice, which it rightly answers
with the first answer again, and both would read as the server refusing valid data or
answering stale data. A malformed key is sent as generated, so that the server's 422 for it is
still tested. The tests in crates/api/tests/api/idempotency.rs cover what the server does with
a key it has seen (docs/api-contract.md).
"""

import re
import uuid

import schemathesis

HEADER = "Idempotency-Key"
WELL_FORMED = re.compile(r"[\x20-\x7e]{1,255}")


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers
    if not headers:
        return
    for name, value in headers.items():
        if name.lower() == HEADER.lower() and isinstance(value, str) and WELL_FORMED.fullmatch(value):
            headers[name] = str(uuid.uuid4())
