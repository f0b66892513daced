"""A figure as the browser draws it once.

Streamlit's chart element hands every figure to plotly.js twice when it appears: once as it arrives, and again, a
moment later, as a JSON copy of itself (its first effect after mounting). `Plotly.react` redraws the whole chart the
second time unless it can tell that nothing changed, and with a figure as plotly.py writes it, it cannot:
- a figure carrying a `template` (plotly.py always writes one) is redrawn whole at every `react`;
- numbers written as typed arrays (plotly.py writes every numpy column so) are new objects in the copy, so the data
  count as changed; plain lists count as unchanged when the layout carries a `datarevision` that did not change.
A second drawing of the two-panel chart of Andamenti costs 40-60 ms of every page switch that shows it
(bench/RESULTS.md). A sunburst (the tree of Aree strategiche) is drawn anew at every `react` whatever it is given.

`drawn_once` writes the same figure so that plotly.js finds the copy unchanged: the template's values written into
the layout and the traces (where the figure sets none, as plotly.js would apply them), numbers as lists, and a
`datarevision` that names the content. ui/grafici.show sends it for the charts that take no clicks: Streamlit changes
the layout of one that does, and the partial update that follows drew the Responsabili's bars a few pixels off
their rows. tests/e2e/test_browser_figure.py checks in plotly.js that the chart drawn
from it has the same attributes as the chart drawn from the figure itself.
"""
from __future__ import annotations

import base64
import re
from collections import Counter

import numpy as np
import plotly.graph_objects as go

# Layout containers of subplots a template describes for whoever uses them: written only where the figure has one
# (a `polar` in the layout would make plotly.js draw an empty polar chart).
_SUBPLOTS = ("polar", "ternary", "scene", "geo", "mapbox", "map", "smith", "coloraxis")
_AXIS = re.compile(r"^([xy]axis)\d*$")


def drawn_once(fig: go.Figure, revision: str) -> go.Figure:
    """The figure, drawn the same, that plotly.js does not redraw when given its own copy again (module docstring).
    `revision` must change whenever the figure's data do (the caller's cache key, for instance)."""
    spec = _plain(fig.to_dict())
    template = spec["layout"].pop("template", None) or {}
    layout = _with_template_layout(spec["layout"], template.get("layout") or {})
    layout["datarevision"] = revision
    out = go.Figure(data=_with_template_data(spec["data"], template.get("data") or {}), layout=layout)
    out.layout.template = None  # else plotly.py writes its default one back
    return out


def _plain(value):
    """Typed arrays (plotly.js's {dtype, bdata[, shape]}) as nested lists, all the rest as it is."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if value.get("shape"):
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _under(defaults, value):
    """`value` with `defaults` beneath it: what the figure sets wins, dictionaries merged at every depth."""
    if isinstance(defaults, dict) and isinstance(value, dict):
        return {**defaults, **{key: _under(defaults.get(key), item) for key, item in value.items()}}
    return defaults if value is None else value


def _with_template_layout(layout: dict, template: dict) -> dict:
    """The template's layout beneath the figure's: axes' defaults under every axis of their letter (xaxis2 too),
    `annotationdefaults` and the like under each item of their list, subplots' only where the figure has them."""
    out = dict(layout)
    for key, defaults in template.items():
        if key.endswith("defaults"):
            items = key[:-len("defaults")] + "s"  # annotationdefaults -> annotations
            if items in out:
                out[items] = [_under(defaults, item) for item in out[items]]
        elif key in ("xaxis", "yaxis"):
            for name in [k for k in out if (m := _AXIS.match(k)) and m.group(1) == key] or [key]:
                out[name] = _under(defaults, out.get(name))
        elif key not in _SUBPLOTS or key in out:
            out[key] = _under(defaults, out.get(key))
    return out


def _with_template_data(traces: list[dict], template: dict) -> list[dict]:
    """Each trace over the template's defaults for its type, cycling through them as plotly.js does (the second bar
    of the figure takes the second bar of the template, if it has two)."""
    count: Counter = Counter()
    out = []
    for trace in traces:
        kind = trace.get("type", "scatter")
        choices = template.get(kind) or [{}]
        out.append(_under(choices[count[kind] % len(choices)], trace))
        count[kind] += 1
    return out
