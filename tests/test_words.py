"""Italian words (issue 14, item 5): a count agrees with its noun, a thing is called by its name, Streamlit's own
English words are put in Italian by the page script."""
from __future__ import annotations

import pytest

from cruscotto.present import formatting
from ui import documento


@pytest.mark.parametrize(("count", "expected"), [(0, "0 errori"), (1, "1 errore"), (2, "2 errori"),
                                                 (1234, "1.234 errori")])
def test_plural_agrees_with_the_count(count, expected):
    assert formatting.plural(count, "errore", "errori") == expected


def test_plural_of_a_word_alone_and_of_a_float_count():
    assert formatting.plural(1, "Filtro attivo", "Filtri attivi", number=False) == "Filtro attivo"
    assert formatting.plural(3.0, "rilievo", "rilievi") == "3 rilievi"


def test_named_puts_the_readable_name_first_and_never_cuts_the_code():
    assert formatting.named("Regolazione del mercato", "2019_02") == "Regolazione del mercato (2019_02)"
    assert formatting.named(None, "2019_02") == "2019_02"
    assert formatting.named("2019_02", "2019_02") == "2019_02"
    long = formatting.named("Valorizzare le competenze delle risorse interne e razionalizzare", "2019_04_02", width=30)
    assert long == "Valorizzare le competenze… (2019_04_02)"


@pytest.mark.parametrize(("english", "italian"), [
    ("Help for Ente", "Aiuto: Ente"),
    ("Help", "Aiuto"),
    ("Limit 20MB per file • XLSX, CSV", "Massimo 20 MB per file • XLSX, CSV"),
    ("20MB per file • XLSX, CSV", "Massimo 20 MB per file • XLSX, CSV"),
    ("Drag and drop file here", "Trascinare qui il file"),
    ("Upload", "Scegli il file"),
    ("Choose an option", "Scegliere un'opzione"),
])
def test_streamlit_words_the_page_script_translates(english, italian):
    assert documento.translated(english) == italian


def test_the_page_script_leaves_other_text_alone_and_sets_the_language():
    assert documento.translated("Indicatori per area strategica") is None
    assert 'root.lang = "it"' in documento.script()
