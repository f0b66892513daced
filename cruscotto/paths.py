"""Where the program finds its own files: the shipped data/ and the SQL of queries/ (beside the package), and the
default store (data/cruscotto.duckdb; the environment variable CRUSCOTTO_DB chooses another, see store.db_path)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "cruscotto.duckdb"
