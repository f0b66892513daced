"""Redraw the pictures of the Relazione in docs/relazione/ (`make relazione-docs`): the 2019 Relazione of the shipped
data, produced as `python -m cruscotto relazione` does on a temporary store built from data/, and a few of its pages
turned into PNG by pdftoppm (poppler-utils). The pages are found by what they say, not by number."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
DPI = 72

# file name -> a text the page holds (the first page that holds it, after the previous picture's page)
PAGES = {
    "1-copertina": "Stato al",
    "2-indice": "Indice",
    "3-sintesi": "In sintesi.",
    "4-area": "Area 2019_02",
    "5-andamenti": "Pratiche del Registro imprese evase entro 5 giorni",
    "6-allegato-oiv": "Che cosa è stato controllato",
    "7-rilievi": "Rilievi",
}


def main() -> int:
    import pypdf

    from cruscotto import pipeline, relazione, store
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "cruscotto.duckdb"
        assert pipeline.build(db).ok
        con = store.connect(db, read_only=True)
        try:
            pdf = relazione.build_pdf(con, "CCIAA di Cremona", 2019)
        finally:
            con.close()
        path = Path(scratch) / "relazione.pdf"
        path.write_bytes(pdf)
        texts = [re.sub(r"\s+", " ", p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
        for old in HERE.glob("*.png"):
            old.unlink()
        page = 0
        for name, needle in PAGES.items():
            page = next(i for i in range(page, len(texts)) if needle in texts[i])
            subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(page + 1), "-l", str(page + 1),
                            str(path), str(HERE / name)], check=True)
            _shrink(HERE / f"{name}.png")
            print(f"docs/relazione/{name}.png: pagina {page + 1} di {len(texts)}")
            page += 1
    return 0


def _shrink(png: Path) -> None:
    """A palette of 256 colours: the page is text, lines and a few flat colours; the file is a third of the size."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MAXCOVERAGE)
    small.save(png, optimize=True)


if __name__ == "__main__":
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm mancante: apt-get install poppler-utils")
    sys.exit(main())
