"""Built Plotly figures kept across script runs and sessions, so a cached view does not build its charts again.

Building a figure is most of what a cached view of a chart page costs the server: every property Plotly sets is
validated (15–25 ms a chart here), while sending an already built figure costs about 1 ms (its to_dict copy and
JSON). Forty people opening the meeting's link at once would otherwise each pay for every chart.

A figure is keyed by its builder and the builder's arguments, hashed as st.cache_data hashes arguments. Those
arguments are the data drawn (read through caches keyed by the store's data version) and the titles (which name the
filters), so a new import or other filters give other arguments and a figure built for them: nothing shown can be
stale. The figure itself is shared, never copied: st.plotly_chart only reads it (to_dict copies), and nothing else
gets it.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

MAX_FIGURES = 512  # a figure's spec is 5–50 kB: well under 30 MB in all


@st.cache_resource(show_spinner=False, max_entries=MAX_FIGURES)
def _built(name: str, _builder: Callable[..., go.Figure], args: tuple, kwargs: dict) -> go.Figure:
    # `name` stands for the builder in the key (a leading underscore keeps the function itself out of the hash)
    return _builder(*args, **kwargs)


def builder_name(builder: Callable) -> str:
    return f"{builder.__module__}.{builder.__qualname__}"


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """builder(*args, **kwargs), built once for the same builder and arguments, in any session."""
    if builder.__name__ == "<lambda>" or "<locals>" in builder.__qualname__:
        # a closure's captured values are not in the key: two different charts would share one name
        raise TypeError("figure_cache.figure needs a module-level builder, its data given as arguments")
    return _built(builder_name(builder), builder, args, kwargs)


def clear() -> None:
    _built.clear()
