"""The upload journey with the keyboard alone (issue 14, item 6; WCAG 2.1.1): name → file → preview → confirm →
version chosen → its preview → rollback, moving with Tab (the arrows within a list) and acting with Enter or Space
only, never the mouse.

The file itself is chosen in the file dialog, which the operating system draws and no page can drive: the test
checks that Enter on «Scegli il file» asks the browser for that dialog (an init script counts the requests, and
answers them «cancelled»), then gives the file to the uploader's input with set_input_files, as the dialog would.
This module writes to the store: it runs its own server on its own copy.
"""
from __future__ import annotations

import re

import harness
import pytest
from builders.workbooks import workbook_2020

MAX_TABS = 200

# Counts the requests for a file dialog (an <input type=file> clicked, or the File System Access picker) and
# answers «cancelled»: the dialog itself belongs to the operating system.
_DIALOG_SPY = r"""
(() => {
  window.__fileDialogs = 0;
  const click = HTMLInputElement.prototype.click;
  HTMLInputElement.prototype.click = function () {
    if (this.type === 'file') { window.__fileDialogs += 1; return; }
    return click.call(this);
  };
  window.showOpenFilePicker = async () => {
    window.__fileDialogs += 1;
    throw new DOMException('The user aborted a request.', 'AbortError');
  };
})();
"""

_FOCUSED_JS = r"""() => {
  const el = document.activeElement;
  // a control a person acts on (the scrolling main area can take the focus too: it is not one)
  if (!el || !el.matches('button, input, a, select, textarea, [role=button], [role=combobox], [role=link]')) return null;
  const labelled = el.getAttribute('aria-labelledby');
  const byId = labelled ? labelled.split(' ').map(id => (document.getElementById(id) || {}).innerText || '').join(' ') : '';
  const label = (el.labels && el.labels[0] && el.labels[0].innerText) || '';
  return [el.getAttribute('aria-label') || '', byId, label, el.innerText || '', el.value || ''].join(' | ')
    .replace(/\s+/g, ' ').trim();
}"""


@pytest.fixture(scope="module")
def keyboard_server(chromium, shipped_store, tmp_path_factory):
    with harness.editor_server(shipped_store, tmp_path_factory, "keyboard") as server:
        yield server


def focused(page) -> str:
    return page.evaluate(_FOCUSED_JS) or ""


def tab_to(page, name: "str | re.Pattern") -> str:
    """Press Tab (as a person would, watching where the focus goes) until the focused control is named `name`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if (name.search(now) if isinstance(name, re.Pattern) else name in now):
            return now
    raise AssertionError(f"{MAX_TABS} Tab presses never reached «{getattr(name, 'pattern', name)}»")


def test_upload_preview_confirm_and_rollback_with_the_keyboard_alone(keyboard_server, page, tmp_path):
    path = tmp_path / "relazione_2020.xlsx"
    path.write_bytes(workbook_2020())
    page.add_init_script(_DIALOG_SPY)
    harness.open_page(page, keyboard_server.page_url("carica_dati"))

    tab_to(page, "Nome di chi carica")
    page.keyboard.type("Ufficio performance")
    # Tab commits the name (a rerun) and moves on
    harness.rerun_and_wait(page, lambda: page.keyboard.press("Tab"), check=False)

    tab_to(page, "Scegli il file")  # Streamlit's «Upload», in Italian (ui/documento.py)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__fileDialogs > 0")  # Enter asked for the file dialog
    chooser = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    harness.rerun_and_wait(page, lambda: chooser.set_input_files(str(path)), check=False)
    page.get_by_text("Anteprima delle modifiche").wait_for()
    assert "Anni aggiunti: 2020 (CCIAA di Cremona)." in page.locator('[data-testid="stMain"]').inner_text()

    tab_to(page, "Conferma il caricamento")
    harness.rerun_and_wait(page, lambda: page.keyboard.press("Enter"))
    success = page.locator('[data-testid="stAlertContentSuccess"]').first
    success.wait_for()
    assert re.search(r"Caricato relazione_2020\.xlsx: ora i dati sono alla versione 2\.", success.inner_text())

    # the versions table: version 2 by «Ufficio performance»; then choose version 1, which shows what restoring it
    # changes and the button to do it, and restore it, naming who restores
    tab_to(page, "Versione da ripristinare")
    page.keyboard.press("ArrowDown")  # opens the list on its first choice, version 1
    harness.rerun_and_wait(page, lambda: page.keyboard.press("Enter"))
    page.get_by_text("Ripristinando la versione 1").wait_for()
    tab_to(page, "Nome di chi ripristina")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Segreteria generale")
    harness.rerun_and_wait(page, lambda: page.keyboard.press("Tab"), check=False)
    tab_to(page, "Ripristina la versione 1")
    harness.rerun_and_wait(page, lambda: page.keyboard.press("Space"))
    restored = page.locator('[data-testid="stAlertContentSuccess"]').first
    restored.wait_for()
    assert "Ripristinata la versione 1: ora i dati sono alla versione 3." in restored.inner_text()
    harness.wait_column(page, "Versione", ["3", "2", "1"])  # the grid shows its rows a moment after the run
    versions = harness.table_cells(page, 0)
    assert versions[0][0] == "3" and "Segreteria generale" in versions[0], versions[0]
    assert any(row[0] == "2" and "Ufficio performance" in row for row in versions), versions
