"""Motivazioni, OIV notes and comments (issue 16, item 2): one text per kind and indicator, written through the import
pipeline as a new version signed with the user and the time, kept in the history, read by the check
«scostamento_senza_motivo», uploadable as the sheet «annotazioni», and protected by role."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from builders.workbooks import workbook_2019_corrected

from cruscotto import pipeline, verifica
from cruscotto.auth import EDITOR, OIV, Utente
from cruscotto.cli import main
from cruscotto.ingest import template
from cruscotto.store import queries, versions

ENTE = "CCIAA di Cremona"
INDICATORE = "2019_02_01-I1"  # tasso di evasione delle pratiche entro 5 giorni
REASON = "Il valore segue la modalità di calcolo come è scritta: evase nel 2019 su evase nel 2013."
EDITOR_CREMONA = Utente("mario.rossi", EDITOR, frozenset({ENTE}))
OIV_CREMONA = Utente("anna.oiv", OIV, frozenset({ENTE}))


def annotations(con) -> list[tuple]:
    return [tuple(r) for r in queries.run(con, "annotazioni", {})[["codice_indicatore", "tipo", "testo", "autore"]]
            .itertuples(index=False)]


def missed(con) -> list[str]:
    return [f.codice_indicatore for f in verifica.run_checks(con) if f.controllo == "scostamento_senza_motivo"]


def test_a_motivazione_for_2019_02_01_I1_resolves_its_finding(con):
    # On the shipped data no indicator has this finding (every one is reached, or has no valore raggiunto). So the
    # report is first corrected as the modalità di calcolo reads literally: 18.235 / 20.212 × 100 = 90,22% < 100%.
    assert missed(con) == []
    assert pipeline.import_bytes(con, workbook_2019_corrected("= 90,22%"), "correzione.xlsx", "ufficio").ok
    assert missed(con) == [INDICATORE]
    result = pipeline.annotate(con, ENTE, 2019, INDICATORE, "motivazione", REASON, user=EDITOR_CREMONA)
    assert result.ok and result.version == 3
    assert missed(con) == []  # resolved, though the text has none of the words of parole_motivazione
    # a note of the OIV or a comment is no motivazione
    assert versions.rollback(con, 2) == 4
    assert pipeline.annotate(con, ENTE, 2019, INDICATORE, "nota OIV", "Chiedere il motivo", user=OIV_CREMONA).ok
    assert missed(con) == [INDICATORE]


def test_an_annotation_is_a_version_signed_with_user_and_time_and_can_be_rolled_back(con):
    assert pipeline.annotate(con, ENTE, 2019, INDICATORE, "motivazione", REASON, user=EDITOR_CREMONA).ok
    record = versions.list_versions(con)[0]
    assert (record.versione, record.operazione, record.utente, record.file_name) == (2, "import", "mario.rossi",
                                                                                   "annotazioni.csv")
    assert record.note == f"motivazione per {INDICATORE} ({ENTE}, 2019)" and record.partizioni == [[ENTE, 2019]]
    row = queries.run(con, "annotazioni", {"codice_indicatore": INDICATORE}).iloc[0]
    assert (row["tipo"], row["testo"], row["autore"]) == ("motivazione", REASON, "mario.rossi")
    assert row["scritta_il"] == f"{record.creata_il:%Y-%m-%d %H:%M:%S}"  # the time of its version
    assert row["descrizione"] == "Tasso di evasione delle pratiche entro 5 giorni"
    # rewritten: a new version, the old text in the history
    assert pipeline.annotate(con, ENTE, 2019, INDICATORE, "motivazione", "Testo corretto", user=EDITOR_CREMONA).version == 3
    assert annotations(con) == [(INDICATORE, "motivazione", "Testo corretto", "mario.rossi")]
    assert list(versions.state_at(con, "annotazioni", 2)["testo"]) == [REASON]
    assert versions.rollback(con, 1) == 4 and annotations(con) == []
    # the same text again is no change: no version
    assert pipeline.annotate(con, ENTE, 2019, INDICATORE, "commento", "Uno", utente="cli").version == 5
    again = pipeline.annotate(con, ENTE, 2019, INDICATORE, "commento", "Uno", utente="cli")
    assert again.unchanged and versions.current_version(con) == 5


def test_an_annotation_is_checked_like_any_upload(con):
    result = pipeline.annotate(con, ENTE, 2019, "2019_99-I1", "commento", "Testo", utente="cli")
    assert not result.ok and "'2019_99-I1' non esiste tra gli indicatori" in str(result.validated.errors[0])
    result = pipeline.annotate(con, ENTE, 2019, INDICATORE, "commento", "a\u200bcapo", utente="cli")
    assert not result.ok and "carattere invisibile" in result.validated.errors[0].message
    assert versions.current_version(con) == 1


@pytest.mark.parametrize("user, tipo, ente", [
    (OIV_CREMONA, "motivazione", ENTE),  # the OIV writes notes, not the office's motivazioni
    (EDITOR_CREMONA, "nota OIV", ENTE),  # nor an editor the OIV's notes
    (Utente("luca.pisa", EDITOR, frozenset({"CCIAA di Pisa"})), "motivazione", ENTE),  # another chamber's editor
    (Utente("lettore", "lettore"), "commento", ENTE),
])
def test_who_may_write_what(con, user, tipo, ente):
    with pytest.raises(pipeline.PermissionDenied, match="non può scrivere testi"):
        pipeline.annotate(con, ente, 2019, INDICATORE, tipo, "Testo", user=user)
    assert versions.current_version(con) == 1


def _sheet_with(con, rows: list[tuple[str, str, str]]) -> bytes:
    """The filled 2019 workbook with its «annotazioni» sheet holding `rows` (indicatore, tipo, testo)."""
    book = openpyxl.load_workbook(io.BytesIO(template.current_workbook(con, ENTE, 2019)))
    sheet = book["annotazioni"]
    header = [c.value for c in sheet[1]]
    stored = {(r[2], r[3]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    sheet.delete_rows(2, sheet.max_row)
    for codice, tipo, testo in rows:
        old = stored.get((codice, tipo))
        sheet.append([ENTE, 2019, codice, tipo, testo, old[5] if old else None, old[6] if old else None])
    assert header[:5] == ["ente", "anno", "codice_indicatore", "tipo", "testo"]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_sheet_keeps_an_unchanged_text_signed_as_it_was_and_signs_a_changed_one(con):
    pipeline.annotate(con, ENTE, 2019, INDICATORE, "motivazione", REASON, utente="mario.rossi")
    pipeline.annotate(con, ENTE, 2019, INDICATORE, "commento", "Primo commento", utente="mario.rossi")
    data = _sheet_with(con, [(INDICATORE, "motivazione", REASON), (INDICATORE, "commento", "Commento riscritto"),
                             ("2019_02_01-I2", "commento", "Nuovo")])
    checked = pipeline.check(con, data, "annotazioni_2019.xlsx")
    changed = next(t for t in checked.preview.tables if t.table == "annotazioni")
    assert (len(changed.added), changed.changed_rows, changed.unchanged) == (1, 1, 1)
    pipeline.commit(con, checked, data, utente="giulia.bianchi")
    assert annotations(con) == [(INDICATORE, "motivazione", REASON, "mario.rossi"),
                                (INDICATORE, "commento", "Commento riscritto", "giulia.bianchi"),
                                ("2019_02_01-I2", "commento", "Nuovo", "giulia.bianchi")]


def test_an_editors_upload_keeps_the_oiv_notes_and_cannot_change_them(con):
    pipeline.annotate(con, ENTE, 2019, INDICATORE, "nota OIV", "Serve la motivazione", user=OIV_CREMONA)
    # left out of the sheet: the note stays
    data = _sheet_with(con, [(INDICATORE, "motivazione", REASON)])
    checked = pipeline.check(con, data, "annotazioni.xlsx", user=EDITOR_CREMONA)
    assert checked.ok, [str(p) for p in checked.validated.errors]
    pipeline.commit(con, checked, data, utente=EDITOR_CREMONA.nome)
    assert annotations(con) == [(INDICATORE, "motivazione", REASON, "mario.rossi"),
                                (INDICATORE, "nota OIV", "Serve la motivazione", "anna.oiv")]
    # changed in the sheet: refused, naming the row
    data = _sheet_with(con, [(INDICATORE, "motivazione", REASON), (INDICATORE, "nota OIV", "Tutto bene")])
    checked = pipeline.check(con, data, "annotazioni.xlsx", user=EDITOR_CREMONA)
    assert not checked.ok
    problem = checked.validated.errors[0]
    assert (problem.sheet, problem.row, problem.column) == ("annotazioni", 3, "testo")
    assert "le note dell'OIV le scrive l'OIV" in problem.message


def test_the_oiv_and_a_lettore_cannot_upload(con):
    data = template.current_workbook(con, ENTE, 2019)
    for user in (OIV_CREMONA, Utente("lettore", "lettore")):
        checked = pipeline.check(con, data, "relazione.xlsx", user=user)
        assert not checked.ok and "non può caricare dati" in checked.validated.errors[0].message


def test_cli_annota_records_the_user_and_the_store_rebuilt_from_the_archive_keeps_the_signature(db_path, capsys):
    assert main(["annota", INDICATORE, "--ente", ENTE, "--anno", "2019", "--tipo", "motivazione", "--testo", REASON,
                 "--utente", "ufficio performance"]) == 0
    assert "versione 2" in capsys.readouterr().out
    assert main(["query", "annotazioni", "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert [(r["testo"], r["autore"]) for r in before] == [(REASON, "ufficio performance")]
    db_path.unlink()  # lost: rebuilt from data/ and the archived annotazioni.csv, same author and time
    assert main(["query", "annotazioni", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == before


def test_cli_annota_refuses_in_italian(db_path, capsys):
    assert main(["annota", "2019_99-I1", "--ente", ENTE, "--anno", "2019", "--tipo", "commento", "--testo", "x"]) == 1
    assert "'2019_99-I1' non esiste tra gli indicatori" in capsys.readouterr().err
