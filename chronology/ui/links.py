"""URL state: notices about a link, and page choices kept in the URL by id."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date

import streamlit as st

from ..data.dataset import DataSet
from ..views.escape import md_code

MAX_OPTIONS = 5000
"""At most this many options in a page's picker (a selectbox ships all of them to the browser)."""

SHOWN_CHARS = 80
"""A value from the link is quoted in a notice up to this many characters."""
_EXCERPT_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value from the link, quoted literally for a notice and cut to ``limit`` characters."""
    value = value.replace("\x00", "\N{SYMBOL FOR NULL}")
    return md_code(value if len(value) <= limit else value[: limit - 1] + "…")


def notice(message: str) -> None:
    """A visible notice about the link (message is trusted Markdown; quote values with shown)."""
    st.warning(message, icon=":material/link_off:")


def check_url(ds: DataSet, labels: dict[str, list[str]]) -> list[str]:
    """The unknown or malformed filter values in the link, as notices.

    Streamlit drops such values from a bound widget silently; this says so.
    """
    qp = st.query_params
    out: list[str] = []
    for key, what in (("actors", "actor"), ("cat", "category"), ("status", "status")):
        unknown = [v for v in qp.get_all(key) if v and v not in labels[key]]
        if unknown:
            unknown = list(dict.fromkeys(unknown))
            listed = ", ".join(shown(v) for v in unknown[:10])
            if len(unknown) > 10:
                listed += f" and {len(unknown) - 10:,} more"
            out.append(
                f"The link names {what} values this data set does not have: {listed}. "
                "They were dropped from the filter."
            )
    for key, allowed in (("match", ("any", "all")), ("citations", ("true", "false"))):
        raw = qp.get_all(key)
        if raw and raw[-1].lower() not in allowed:
            out.append(
                f"The link's {shown(key + '=' + raw[-1])} is not one of "
                f"{', '.join(md_code(a) for a in allowed)}; the default is used."
            )
    for key in ("from", "to"):
        raw = qp.get_all(key)
        if not raw or not raw[-1]:
            continue
        value = raw[-1]
        try:
            date.fromisoformat(value)
            ok = len(value) == 10
        except ValueError:
            ok = False
        if not ok:
            out.append(
                f"The link's date {shown(key + '=' + value)} is not a day written "
                "YYYY-MM-DD (e.g. 2024-03-16); it was dropped."
            )
    return out


def url_excerpt(source_of: Mapping[int, str]) -> int | None:
    """The excerpt number a link names (``?excerpt=<n>``), opening its source if none is named.

    A number that names no excerpt is dropped from the URL with a notice.
    """
    raw = st.query_params.get("excerpt")
    if raw is None:
        return None
    # The shape first: int() refuses over 4,300 digits and takes non-ASCII digits such as '٣'.
    number = int(raw) if _EXCERPT_NUMBER.fullmatch(raw) else None
    if number is not None and number in source_of:
        if st.query_params.get("source") is None:
            st.query_params["source"] = source_of[number]
        return number
    notice(
        f"The link's {shown('excerpt=' + raw)} names no excerpt of this data set; it was dropped."
    )
    del st.query_params["excerpt"]
    return None


def url_choice(
    param: str,
    options: Sequence[str],
    *,
    label: str,
    key: str,
    format_func: Callable[[str], str] = str,
    default: str | None = None,
    placeholder: str = "Choose…",
    what: str = "value",
    valid: Collection[str] | None = None,
) -> str | None:
    """A selectbox kept in the URL as ``?<param>=<id>`` (ids in the URL, labels on screen).

    Unlike ``bind="query-params"``, which puts the label in the URL, this keeps the stable id.
    An id not in ``valid`` (default: the options) is dropped with a notice; a valid id that is
    not among the options is added to them.
    """
    qp = st.query_params
    raw = qp.get(param)
    options = list(options)
    if raw is not None and raw not in (options if valid is None else valid):
        notice(f"The link's {what} {shown(raw)} is not in this data set; it was dropped.")
        del qp[param]
        raw = None
    if raw is not None and st.session_state.get(key) != raw:
        st.session_state[key] = raw  # the URL changed (a link, a page switch): it wins
    elif raw is None and key not in st.session_state:
        st.session_state[key] = default
    current = st.session_state.get(key)
    if current is not None and current not in options:
        if valid is None or current in valid:
            options.insert(0, current)
        else:
            st.session_state[key] = None

    def changed() -> None:
        value = st.session_state.get(key)
        if value is None or value == default:
            qp.pop(param, None)
        else:
            qp[param] = value

    return st.selectbox(
        label,
        options,
        index=None,
        format_func=format_func,
        key=key,
        on_change=changed,
        placeholder=placeholder,
    )


def set_choice(param: str, key: str, value: str | None) -> None:
    """From a callback: choose ``value`` in a :func:`url_choice` box and in the URL."""
    st.session_state[key] = value
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value


def check_choice(param: str, allowed: Collection[str]) -> None:
    """Before a bound single-choice widget: a notice if the link's value is not allowed."""
    raw = st.query_params.get_all(param)
    if raw and raw[-1] not in allowed:
        notice(
            f"The link's {shown(param + '=' + raw[-1])} is not one of "
            f"{', '.join(md_code(a) for a in allowed)}; the default is used."
        )
