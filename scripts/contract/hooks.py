"""Schemathesis hooks for scripts/contract-test.sh."""

import schemathesis

# 422 kinds for input that is well formed but names ids the catalog does not hold, or (for
# /user/import) a file whose content is not an export of the named format: a schema can say
# "a binary file", not "a Letterboxd CSV".
DATA_DEPENDENT_KINDS = {
    "unknown_ids",
    "ambiguous_tmdb_id",
    "empty_file",
    "bad_zip",
    "not_utf8",
    "missing_columns",
    "malformed_file",
    "wrong_format",
}


@schemathesis.check
def data_dependent_rejections(ctx, response, case):
    """Schema-valid input may be refused only for a reason that depends on the data.

    The contract test lets `positive_data_acceptance` pass 400 on /recommend and 422 on
    /user/history (see schemathesis.toml); this check makes sure such a refusal is a stale or
    foreign cursor, or unknown ids, and never a rule the schema does not state.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 422):
        return None
    body = response.json()
    detail = body.get("detail") if isinstance(body, dict) else None
    if response.status_code == 400:
        assert isinstance(detail, str) and detail.startswith("Invalid cursor"), (
            f"schema-valid input refused with 400: {detail!r}"
        )
    else:
        kinds = {d.get("type") for d in detail} if isinstance(detail, list) else {None}
        assert kinds <= DATA_DEPENDENT_KINDS, (
            f"schema-valid input refused with 422 {sorted(map(str, kinds))}: {detail!r}"
        )
    return None
