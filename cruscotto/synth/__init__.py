"""Synthetic chambers in the real schema, deterministic by seed: for Confronto enti, tests and benchmarks.

`generate` gives the tables of N chambers over a range of years, `write_xlsx` writes them as an upload workbook,
`write_store` imports them (through the normal import path, or `bulk` for millions of rows).
"""
from cruscotto.synth.generator import (
                                       DEFAULT_SEED,
                                       SHIPPED_SERIES,
                                       as_sheets,
                                       generate,
                                       generate_chamber,
                                       parse_years,
                                       typed_tables,
                                       write_store,
                                       write_xlsx,
)

__all__ = ["DEFAULT_SEED", "SHIPPED_SERIES", "as_sheets", "generate", "generate_chamber", "parse_years", "typed_tables",
           "write_store", "write_xlsx"]
