"""Confronto enti in chromium. The shipped data hold one chamber, so this module's server runs on a copy of the store
with four synthetic chambers added by the CLI (`python -m cruscotto synth --enti 4 --anni 2019-2019`, deterministic):
the comparison then has five chambers, the CCIAA di Cremona among them."""
from __future__ import annotations

import os
import subprocess
import sys

import harness
import pytest

CREMONA = "CCIAA di Cremona"


@pytest.fixture(scope="module")
def confronto_server(chromium, shipped_store, tmp_path_factory):
    store = harness.temporary_store(shipped_store, tmp_path_factory.mktemp("e2e-confronto-store"))
    subprocess.run([sys.executable, "-m", "cruscotto", "synth", "--enti", "4", "--anni", "2019-2019",
                    "--store", str(store)], cwd=harness.ROOT, check=True, capture_output=True,
                   env={**os.environ, "CRUSCOTTO_DB": str(store)})
    with harness.StreamlitServer(harness.APP, db_path=store,
                                 log_dir=tmp_path_factory.mktemp("e2e-confronto-logs")) as server:
        yield server


def test_comparison_draws_its_chart_and_follows_the_indicator(confronto_server, page, timings):
    harness.open_page(page, confronto_server.page_url("confronto_enti"))
    if harness.selected(page, "Ente") != CREMONA:
        harness.select_option(page, "Ente", CREMONA)
    # ranking and distribution in one figure (one chart to draw), then Cremona against its public references
    # (data/riferimenti.csv, issue 16)
    assert harness.counts(page)["charts"] == 2
    assert "Italia 2019" in " ".join(harness.chart_texts(page, 1))
    assert CREMONA in " ".join(harness.chart_texts(page, 0))  # the chamber is in the ranking
    first = harness.chart_signature(page, 0)

    # «Tasso di evasione delle pratiche entro 5 giorni»: Cremona's 2019 value is the declared index 137,56%
    # (data/indicatori.csv, 2019_02_01-I1, valore_raggiunto "= 137,56%"; 89,1425 / 64,7987 × 100 = 137,57).
    label = "Tasso di evasione delle pratiche entro 5 giorni · 5 enti"
    timings["journeys"]["confronto: indicator → charts redrawn (ms)"] = harness.select_option(
        page, "Indicatore", label, search="Tasso di evasione")
    harness.wait_chart_changed(page, first, 0)
    metrics = [" ".join(t.split()) for t in page.locator('[data-testid="stMetric"]').all_inner_texts()]
    # Cremona's 137,56% is the highest of the five (the synthetic chambers' values are 133,25, 117,48, 100,90, 96,79).
    assert "Valore raggiunto 137,56%" in metrics and "Posizione 1° su 5" in metrics
    assert "indicatore=" in page.url

    harness.expand_all(page)  # «Tabella»: one row per chamber
    harness.wait_drawn(page)
    harness.wait_row_count(page, 5)
