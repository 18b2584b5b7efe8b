"""Query parameters are validated everywhere (issue 14, item 8): a bad value is a 400 that
names the parameter, never a silent default and never a 500 from the database."""

from __future__ import annotations

import typing

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.settings import Settings

NOT_QUERY = {"self", "conn", "principal", "state", "request", "data", "staff", "scope"}


def query_parameters() -> list[tuple[str, str, typing.Any, typing.Any]]:
    """(path, name, annotation, kwarg definition) of every query parameter of every route."""
    app = create_app(Settings(), "postgresql://unused@127.0.0.1/unused")
    found = []
    for route in app.routes:
        if route.path.startswith(("/schema", "/static")):
            continue
        for handler in getattr(route, "route_handlers", []):
            if "OPTIONS" in handler.http_methods:
                continue
            for name, field in handler.parsed_fn_signature.parameters.items():
                kwarg = field.kwarg_definition
                if name in NOT_QUERY or "{" + name + ":" in route.path:
                    continue
                if kwarg is not None and getattr(kwarg, "header", None):
                    continue  # headers (If-Match): compared, never stored
                if type(kwarg).__name__ == "HeaderParameter":
                    continue
                found.append((route.path, name, field.annotation, kwarg))
    return found


def _bare(annotation: typing.Any) -> set[typing.Any]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType):
        return {a for a in args if a is not type(None)}
    return {annotation}


def test_every_free_form_query_parameter_is_bounded() -> None:
    params = query_parameters()
    assert len(params) > 40  # every route was seen
    loose = []
    for path, name, annotation, kwarg in params:
        kinds = _bare(annotation)
        if str in kinds and (kwarg is None or not kwarg.max_length or not kwarg.pattern):
            loose.append(f"{path} ?{name}: text needs max_length and a pattern refusing NUL")
        if int in kinds and (kwarg is None or kwarg.ge is None or kwarg.le is None):
            loose.append(f"{path} ?{name}: a number needs ge and le")
    assert loose == []


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/endorsements?limit=-1", "limit"),
        ("/api/v1/endorsements?limit=0", "limit"),
        ("/api/v1/endorsements?limit=lots", "limit"),
        ("/api/v1/endorsements?offset=-5", "offset"),
        ("/api/v1/admin/audit?limit=100000", "limit"),
        ("/api/v1/endorsements?matched=maybe", "matched"),
        ("/api/v1/endorsements?election=" + "x" * 400, "election"),
        ("/api/v1/review?election=%00", "election"),
        ("/api/v1/elections/any/stats?stage=autumn", "stage"),
        ("/elections/any/live?since=-1", "since"),
        ("/elections/any/live?since=99999999999999999999999", "since"),
        ("/elections/any/events?since=-3", "since"),
        ("/elections/any?q=%00", "q"),
        ("/?election=%00", "election"),
        ("/staff/sign-in?next=%00", "next"),
    ],
)
async def test_a_bad_query_value_is_a_400_naming_the_parameter(
    client: AsyncTestClient[Litestar], auth: dict[str, dict[str, str]], url: str, name: str
) -> None:
    answer = await client.get(url, headers=auth["admin"])
    assert answer.status_code == 400, answer.text
    if answer.headers["content-type"].startswith("text/html"):  # a staff page says it in words
        assert name in answer.text
        return
    body = answer.json()
    keys = {item.get("key") for item in body.get("extra", [])}
    assert name in keys or name in body["detail"], body
