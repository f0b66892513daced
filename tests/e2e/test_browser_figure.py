"""A figure written to be drawn once (cruscotto/present/browser_figure.py) looks exactly like the figure itself, and
plotly.js draws it once: given each in turn, plotly.js computes the same attributes for every trace and for the
layout; given a JSON copy of it again (what Streamlit's chart element does a moment after it appears), plotly.js
redraws the figure as plotly.py writes it, and not the one written to be drawn once."""
from __future__ import annotations

import json
from pathlib import Path

import plotly
import pytest

from cruscotto.present import browser_figure, charts, verifica_charts
from cruscotto.store import queries

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"  # the plotly.js plotly.py ships

# Draw `spec` in a new div; return what plotly.js made of it (the attributes of every trace and of the layout, its
# own bookkeeping left out: keys starting with "_", the traces' random uid, the template that no longer exists and
# the data revision that is new) and how many whole drawings a JSON copy of it given again starts.
DRAW = """async (spec) => {
  const plain = (value) => {
    if (ArrayBuffer.isView(value)) return Array.from(value);
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === 'object') {
      const out = {};
      for (const [key, item] of Object.entries(value)) {
        if (key.startsWith('_') || typeof item === 'function') continue;
        if (['uid', 'template', 'datarevision'].includes(key)) continue;
        out[key] = plain(item);
      }
      return out;
    }
    return value;
  };
  const div = document.createElement('div');
  document.body.appendChild(div);
  await Plotly.react(div, spec);
  const drawn = JSON.parse(JSON.stringify({data: plain(div._fullData), layout: plain(div._fullLayout)}));
  let redrawn = 0;
  div.on('plotly_beforeplot', () => { redrawn += 1; return true; });
  await Plotly.react(div, JSON.parse(JSON.stringify(spec)));
  Plotly.purge(div);
  div.remove();
  return {drawn, redrawn};
}"""


@pytest.fixture
def plotly_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(PLOTLY_JS))
    yield page
    context.close()


def figures(con):
    """The charts the pages draw, from the shipped report: subplots, bars, lines with gaps, public references, a
    target line with its words, a sunburst, small multiples."""
    def run(name, **params):
        return queries.run(con, name, params)
    area = "2019_04"
    return {
        "pratiche evase": charts.pratiche_evase(run("andamento_pratiche_evase"), 100.0,
                                                run("riferimenti", riferimento="pratiche_evase_5gg")),
        "imprese": charts.imprese_internazionalizzazione(run("andamento_imprese_internazionalizzazione"), 70.0),
        "costi": charts.cost_containment(run("contenimento_costi")),
        "serie": charts.small_multiples(run("valori_serie")),
        "aree": charts.area_achievement(run("riepilogo_aree")),
        "albero": charts.objective_tree(run("nodi_piano", area=area), run("scheda_indicatori", area=area)),
        "grado": verifica_charts.grado_per_area(run("grado_aree")),
    }


def _differences(before, after, path="") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        return [d for key in sorted(set(before) | set(after))
                for d in _differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in _differences(b, a, f"{path}[{i}]")]
    return [] if before == after else [f"{path}: {before!r} → {after!r}"]


def test_a_figure_written_to_be_drawn_once_draws_the_same_and_once(plotly_page, con):
    for name, fig in figures(con).items():
        as_built = plotly_page.evaluate(DRAW, json.loads(fig.to_json()))  # as Streamlit sends it (plotly.io.to_json)
        once = plotly_page.evaluate(DRAW, json.loads(browser_figure.drawn_once(fig, "r1").to_json()))
        assert _differences(as_built["drawn"], once["drawn"]) == [], name
        # a sunburst is drawn anew at every react whatever it is given: plotly.js recomputes its hierarchy
        assert (as_built["redrawn"], once["redrawn"]) == (1, 1 if name == "albero" else 0), name
