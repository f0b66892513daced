"""How the server runs (.streamlit/config.toml), read the way `streamlit run` reads it from the project folder."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_server_does_not_collect_all_garbage_after_every_run(monkeypatch):
    # Streamlit's default gc.collect(2) after each run of a page was half of the server's CPU with 10 people at once
    # (py-spy: ~70 ms of a 120 ms page) and holds the GIL meanwhile: every other session waited (bench/bench_load.py).
    from streamlit import config

    monkeypatch.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("runner.postScriptGC") is False
        assert config.get_option("server.maxUploadSize") == 20  # the file read is the project's own
    finally:
        config.get_config_options(force_reparse=True)
