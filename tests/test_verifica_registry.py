"""The registry of the Verifica keeps its promises: titles and severities come from one place, each fact is read
once per run, each calculation method is declared once, and docs/verifica.md lists exactly the registered checks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders.reports import S, ind, make_store

from cruscotto import verifica
from cruscotto.cli import main
from cruscotto.store import schema
from cruscotto.verifica import doc, registry, runner

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cruscotto" / "verifica"


def test_docs_table_is_the_registry():
    """docs/verifica.md holds the table `python -m cruscotto.verifica.doc` writes: one row per registered check."""
    written = doc.section(doc.DOC.read_text(encoding="utf-8"))
    assert written == doc.table(), "docs/verifica.md is out of date: run `python -m cruscotto.verifica.doc`"
    assert len(re.findall(r"^\| `[a-z_]+` \|", written, re.M)) == len(verifica.CHECKS)


def test_each_check_declares_the_severities_its_words_name():
    # «errore oltre la tolleranza …; info se …» must be declared as (errore, info), and the other way round
    for c in verifica.CHECKS.values():
        named = set(re.findall(r"\b(errore|avviso|info)\b", c.gravita))
        assert named == set(c.gravita_possibili), c.id


def test_findings_take_their_titles_and_severities_from_the_registry(con):
    findings = verifica.run_checks(con)
    for f in findings:
        c = verifica.CHECKS[f.controllo]
        assert f.titolo in (c.titolo, *c.titoli.values()) and f.gravita in c.gravita_possibili, f
    titles = {(f.controllo, f.gravita, f.titolo) for f in findings}
    # the shipped 2019_04_02_2-I1: 49,3254 truncated to 49,32 is right only within rounding (a variant's title)
    assert ("vr_ricalcolato", "info", "Valore raggiunto coerente solo entro l'arrotondamento") in titles
    # r. 180 «Si rimanda ai documenti di progetto»
    assert ("indicatore_senza_target", "info", "Valore atteso che rinvia ad altri documenti") in titles
    # 2019_04_02 has indicators only in its operational objectives
    assert ("obiettivo_senza_indicatori", "info", "Obiettivo strategico senza indicatori propri") in titles


def test_a_finding_with_an_undeclared_severity_or_fact_is_refused():
    only_info = registry.Check("prova", "Prova", "Una prova.", "info.", (verifica.INFO,))
    with pytest.raises(ValueError, match="gravità «errore» non dichiarata"):
        registry.finding(only_info, registry.rilievo(verifica.ERRORE, "…", ente="E", anno=2020))
    with pytest.raises(TypeError, match="non dichiara da quale query"):
        @registry.check(id="prova_senza_fatti", titolo="Prova", verifica="Una prova.", gravita=(verifica.INFO,),
                        quando="info.")
        def prova_senza_fatti(frame):  # a parameter without query(...) or a fact: refused when the module loads
            return []
    assert "prova_senza_fatti" not in verifica.CHECKS
    with pytest.raises(ValueError, match="«vr_ricalcolato» già registrato"):  # an id is one check
        @registry.check(id="vr_ricalcolato", titolo="Prova", verifica="Una prova.", gravita=(verifica.INFO,),
                        quando="info.")
        def altro_ricalcolo(righe=registry.query("ricalcolo_dettaglio")):
            return []
    assert verifica.CHECKS["vr_ricalcolato"].fn is verifica.ricalcolo.vr_ricalcolato


def test_each_fact_is_read_once_per_run(con, monkeypatch):
    calls = []
    real = runner._read  # how a run reads a query of queries/ (through Arrow, as queries.run would give it)
    monkeypatch.setattr(runner, "_read", lambda c, name, params: calls.append(name) or real(c, name, params))
    verifica.run_checks(con)
    assert len(calls) == len(set(calls)), sorted(calls)
    # the area of a finding comes from verifica_nodi: the roll-up of every grade is no longer read for it
    assert "grado_obiettivi" not in calls and {"verifica_nodi", "verifica_indicatori", "ricalcolo_dettaglio"} <= set(calls)


def test_each_calculation_method_is_declared_once_beside_its_sql():
    """The header of int_ricalcolo.sql declares the methods; the column metodo admits exactly those, each has its
    formula written out in metodi.py, and the SQL computes each by name (somma is its ELSE)."""
    sql = schema.METODI_SQL.read_text(encoding="utf-8")
    assert schema.METODI[:6] == ("rapporto_anno_base", "rapporto_anno_precedente", "quota", "media_scala",
                                 "valore_diretto", "somma")  # the shipped ones, in the header's order
    assert schema.METODI_CALCOLO.column("metodo").choices == schema.METODI
    assert tuple(verifica.METODI_CALCOLO) == schema.METODI and set(verifica.metodi._SCRIVI) == set(schema.METODI)
    assert verifica.METODI["quota"] == "quota numeratore / denominatore"  # the label as the header writes it
    assert tuple(verifica.LETTURE) == schema.LETTURE
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    for m in verifica.METODI_CALCOLO.values():
        assert f"'{m.nome}'" in body or m.nome == "somma", m.nome


def test_a_method_declared_in_the_sql_header_is_one_the_upload_admits(tmp_path):
    """A line added to the header of int_ricalcolo.sql is one more declared method, with its label and its words."""
    copy = tmp_path / "int_ricalcolo.sql"
    text = schema.METODI_SQL.read_text(encoding="utf-8")
    copy.write_text(text.replace("-- materialized:", "--   media | media delle voci | the listed items' mean\n"
                                                     "-- materialized:", 1), encoding="utf-8")
    declared = schema.methods_declared(copy)
    assert list(declared)[-1] == "media" and declared["media"] == ("media delle voci", "the listed items' mean")
    assert list(declared)[:-1] == list(schema.METODI)


def test_the_summary_says_one_errore_in_the_singular(tmp_path, monkeypatch, capsys):
    assert verifica.riepilogo({"errore": 1, "avviso": 3, "info": 1}) == "1 errore, 3 avvisi, 1 informazione"
    assert verifica.riepilogo({"errore": 0, "avviso": 1, "info": 2}) == "0 errori, 1 avviso, 2 informazioni"
    # 90% against >= 80% is met, yet declared «non conseguito»: one errore (esito_contraddice_regola)
    con = make_store(tmp_path, [ind("S-I1", S, ">=80%", "=90%", esito="OBIETTIVO NON CONSEGUITO")])
    n = verifica.counts(verifica.run_checks(con))
    con.close()
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "prova.duckdb"))
    assert main(["check"]) == 1
    summary = capsys.readouterr().out.splitlines()[-1]
    assert n["errore"] == 1 and summary == f"Rilievi: {verifica.riepilogo(n)}." and summary.startswith("Rilievi: 1 errore, ")


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_of_the_verifica_is_a_catch_all(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 350, f"{path.name}: split it by family"
