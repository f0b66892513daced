"""Running the Verifica: every registered check with its facts (each query read once per run and shared), the
findings titled by the registry, placed in their objective and area, given their rule and their quoted lines,
sorted errors first: as `Finding`s (`run_checks`), or by column as the Arrow table the store keeps (`run_rows`)."""
from __future__ import annotations

import importlib
import operator
import re
from collections import defaultdict
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cruscotto.ingest import fonte
from cruscotto.store import queries
from cruscotto.verifica import registry
from cruscotto.verifica.fatti import INDICATORI_SQL, NODI_SQL
from cruscotto.verifica.gravita import ERRORE, GRAVITA
from cruscotto.verifica.registry import CHECKS, COLUMNS, Fatto, Finding, Query, fatto, finding, query, sources

# The modules of the families of checks, in the order their checks are listed (the page's filter and table, the
# PDF, docs/verifica.md); within a module, in the order they are written. A new family module is added here.
FAMIGLIE = ("ricalcolo", "tassi", "esiti", "piano", "codici", "riscontri", "regole")
for _famiglia in FAMIGLIE:
    importlib.import_module(f"cruscotto.verifica.{_famiglia}")
registry.ordina(FAMIGLIE)

_ORDER = {g: i for i, g in enumerate(GRAVITA)}


class Facts:
    """The facts of one run (chamber and year, None = all), each read or derived once, on first use."""

    def __init__(self, con, ente: str | None, anno: int | None):
        self._con, self._params, self._cache = con, {"ente": ente, "anno": anno}, {}

    def get(self, source: Query | Fatto):
        if source not in self._cache:
            if isinstance(source, Query):
                self._cache[source] = _read(self._con, source.name, self._params)
            else:
                self._cache[source] = source.fn(**self.arguments(source.fn))
        return self._cache[source]

    def arguments(self, fn) -> dict:
        return {name: self.get(source) for name, source in sources(fn).items()}


def _read(con, name: str, params: dict) -> pd.DataFrame:
    """The result of queries/NAME.sql as `queries.run` gives it with its text as Python objects (`_text_as_objects`),
    read through Arrow: DuckDB's own conversion to pandas (`.df()`) took three times as long (0,1 s of the Verifica of
    a 100k-row import, the text above all). A result with a column that `_frame` does not convert as `.df()` does (a
    date, a boolean with NULL…) is read by `queries.run`."""
    query = queries.load(name)
    used = {k: v for k, v in query.bind(params).items() if re.search(rf"\${k}\b", query.sql)}
    cur = con.cur if isinstance(con, queries.InTransaction) else con.cursor()
    try:
        cur.execute("SELECT 1").fetchall()  # the cursor's last result read to its end: `sql` runs only then
        frame = _frame(cur.sql(query.sql, params=used).to_arrow_table())
    finally:
        if not isinstance(con, queries.InTransaction):
            cur.close()
    return frame if frame is not None else _text_as_objects(queries.run(con, name, params))


# Integers with a NULL: `.df()` makes them pandas' nullable types
_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype()}


def _frame(table: pa.Table) -> pd.DataFrame | None:
    """The frame `.df()` and `_text_as_objects` make of a result, from its Arrow table: text as objects (NaN where
    missing; a text column without any value as None, as `.df()` leaves it), integers as numpy's (pandas' nullable
    type when a value is missing), floats as numpy's (NaN), booleans without NULL as numpy's, lists as numpy arrays
    (pd.NA for a NULL list; a list of records as an array of dicts of Python values). None for any other column."""
    columns = {}
    for field, column in zip(table.schema, table.columns):
        kind, n, nulls = field.type, len(column), column.null_count
        if pa.types.is_string(kind):
            if n and nulls == n:
                values = np.full(n, None, dtype=object)
            else:
                values = column.to_numpy(zero_copy_only=False)
                if nulls:
                    values[pc.is_null(column).to_numpy(zero_copy_only=False)] = np.nan
            values = pd.Series(values, dtype=object, copy=False)  # objects: a frame would make them pandas text
        elif kind in _NULLABLE:
            values = column.to_pandas(types_mapper={kind: _NULLABLE[kind]}.get).array if nulls else column.to_numpy()
        elif pa.types.is_floating(kind) or (pa.types.is_boolean(kind) and not nulls):
            values = column.to_numpy(zero_copy_only=False)
        elif pa.types.is_list(kind) and _listed(kind.value_type, column):
            dtype = kind.value_type.to_pandas_dtype() if kind.value_type in _NULLABLE else object
            values = np.empty(n, dtype=object)
            values[:] = [pd.NA if items is None else np.array(items, dtype=dtype) for items in column.to_pylist()]
            values = pd.Series(values, dtype=object, copy=False)
        else:
            return None
        columns[field.name] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))


def _listed(kind: pa.DataType, column) -> bool:
    """Whether `_frame` converts a list column of items of `kind` as `.df()` does: lists of text, of records (dicts
    of Python values, None where missing) or of integers none of which is missing."""
    if pa.types.is_string(kind) or pa.types.is_struct(kind):
        return True
    return kind in _NULLABLE and pc.list_flatten(column).null_count == 0


def _text_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """The text columns as Python objects: the checks go through their facts row by row, and each value of pandas'
    Arrow-backed text costs ten times one of an object column (0,3 s of the Verifica of a 100k-row import). The
    values are the same (str, and NaN where missing)."""
    text = [c for c, kind in frame.dtypes.items() if isinstance(kind, pd.StringDtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame


def run_checks(con, ente: str | None = None, anno: int | None = None) -> list[Finding]:
    """Every check on the store (optionally one chamber and year), sorted errors first."""
    facts = Facts(con, ente, anno)
    findings = [f for c in CHECKS.values() for f in _found(c, facts)]
    where, text = facts.get(_COLLOCAZIONE), facts.get(_TESTO)
    findings = [_with(f, _placed(f, *where) | _completed(f, text)) for f in findings]
    return sorted(findings, key=lambda f: (_ORDER[f.gravita], f.ente, f.anno, f.codice_area or "", f.oggetto, f.controllo))


def _found(check: registry.Check, facts: Facts) -> list[Finding]:
    """The findings of one check; a check that breaks on data nobody foresaw says so, as an errore in each report
    of the run, and the others still run (the findings are computed inside every import: a broken check must
    neither hide the rest nor refuse the data)."""
    try:
        return [finding(check, found) for found in check.fn(**facts.arguments(check.fn))]
    except Exception as exc:  # noqa: BLE001 - any failure of a check's code, said in Italian in its place
        reports = facts.get(NODI_SQL)[["ente", "anno"]].drop_duplicates()
        why = (f"Questo controllo non è stato eseguito: il programma si è fermato su questi dati ({type(exc).__name__}: "
               f"{str(exc)[:200]}). Gli altri controlli sono stati eseguiti; va segnalato a chi mantiene il cruscotto.")
        return [Finding(controllo=check.id, gravita=ERRORE, ente=e, anno=int(a), titolo=check.titolo, spiegazione=why)
                for e, a in reports.itertuples(index=False)]


def run_rows(con, ente: str | None = None, anno: int | None = None) -> pa.Table:
    """The findings of `run_checks` as an Arrow table (FRAME_COLUMNS, then rango_gravita and posizione: the
    severity's rank and the finding's rank within its chamber), in the same order with the same values, without a
    Finding per row: what the store keeps (stored.model_rows). Each check's Python words its findings; what every finding gets
    after its check (the title, the objective and area, the rule, the quoted lines, the order) is done column by
    column. A Finding copied twice for each of the 35.000 findings of a 100k-row import cost a second of the write."""
    facts = Facts(con, ente, anno)
    found = [row for c in CHECKS.values() for row in _found_rows(c, facts)]
    columns = dict(zip(COLUMNS, map(list, zip(*found)))) if found else {c: [] for c in COLUMNS}
    (areas, owners), text = facts.get(_COLLOCAZIONE), facts.get(_TESTO)
    enti, anni = columns["ente"], [int(a) for a in columns["anno"]]
    # _placed, by column: the objective from the indicator, then the area from the objective
    obiettivi = [o or owners.get((e, a, i)) for o, e, a, i in zip(columns["codice_obiettivo"], enti, anni,
                                                                   columns["codice_indicatore"])]
    columns["codice_obiettivo"] = [o if o or not ob else ob for o, ob in zip(columns["codice_obiettivo"], obiettivi)]
    columns["codice_area"] = [ar if not ob or ar else (areas.get((e, a, ob)) or ar)
                              for ar, ob, e, a in zip(columns["codice_area"], obiettivi, enti, anni)]
    # _completed, by column: the check's own rule, the text of the cited lines (only for a report whose text is
    # loaded: a synthetic chamber has none, and looking for its lines cost 0,1 s of a 100k-row import)
    rules = {id_: c.regola for id_, c in CHECKS.items()}  # each check's text once, not once per finding
    columns["regola"] = [rules[c] if r is None else r for c, r in zip(columns["controllo"], columns["regola"])]
    columns["citazione"] = [q if q is not None or not righe or (e, a) not in text
                            else (fonte.citation(text[(e, a)], righe) or q)
                            for q, righe, e, a in zip(columns["citazione"], columns["righe_fonte"], enti, anni)]
    columns["oggetto"] = [i or o or "regole" for i, o in zip(columns["codice_indicatore"], columns["codice_obiettivo"])]
    columns["rango_gravita"] = [_ORDER[g] for g in columns["gravita"]]
    table = pa.table({c: _arrow(columns[c], ARROW_TYPES[c]) for c in (*FRAME_COLUMNS, "rango_gravita")})
    # run_checks' order: a stable sort of the findings in the checks' order by the same key, done by Arrow (its
    # sort is stable, and text in UTF-8 bytes sorts as Python sorts str), then every column taken in that order
    key = pa.table({"rango": table["rango_gravita"], "ente": pa.array(enti, pa.string()), "anno": pa.array(anni, pa.int64()),
                    "area": pa.array([a or "" for a in columns["codice_area"]], pa.string()),
                    "oggetto": table["oggetto"], "controllo": table["controllo"]})
    order = pc.sort_indices(key, sort_keys=[(c, "ascending") for c in key.column_names])
    table = table.take(order)
    seen: dict[str, int] = defaultdict(int)
    posizione = []
    for e in table["ente"].to_pylist():  # the rank of each finding within its chamber (0 for its first)
        posizione.append(seen[e])
        seen[e] += 1
    return table.append_column("posizione", pa.array(posizione, pa.int64()))


def _arrow(values: list, kind: pa.DataType) -> pa.Array:
    """A column as Arrow of its type (None and NaN as nulls); a value of another Python type (a number in a text
    column) converted by pandas, as a cast to the frame's dtype would."""
    try:
        return pa.array(values, type=kind, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        dtype = {pa.string(): "string", pa.int64(): "Int64", pa.float64(): "Float64"}[kind]
        return pa.array(pd.array(values, dtype=dtype), type=kind)


def _found_rows(check: registry.Check, facts: Facts) -> list[tuple]:
    """The findings of one check as tuples of Finding's fields in COLUMNS' order (what `_found` gives, without the
    Finding): a rilievo that a Finding would refuse (a severity the check does not declare, a field Finding lacks)
    fails the check as in `_found`, with the same message."""
    try:
        rows = []
        for found in check.fn(**facts.arguments(check.fn)):
            if found["gravita"] not in check.gravita_possibili or not _YIELDED.issuperset(found) \
                    or not _REQUIRED.issubset(found):
                return [_ROW(vars(f)) for f in _found(check, facts)]  # the row path says why, as a run_checks would
            row = {**_BLANK, **found}
            row["controllo"], row["titolo"] = check.id, check.titolo_di(row.pop("variante", None))
            rows.append(_ROW(row))
        return rows
    except Exception:  # noqa: BLE001 - the failure said by _found, in its place (the same findings as run_checks)
        return [_ROW(vars(f)) for f in _found(check, facts)]


_YIELDED = frozenset(COLUMNS) - {"controllo", "titolo"} | {"variante"}  # what a rilievo may name
# A finding as the tuple of its fields in COLUMNS' order, each missing one None: the rows are turned into columns by
# zip, in C, not by a dict lookup per field and finding in Python (5 ms of the 35.000 findings of a 100k import)
_BLANK = dict.fromkeys(COLUMNS)
_ROW = operator.itemgetter(*COLUMNS)
_REQUIRED = frozenset({"gravita", "ente", "anno", "spiegazione"})
# findings_frame's columns: Finding's fields with oggetto before titolo; run_rows adds the order's two
FRAME_COLUMNS = [*COLUMNS[:COLUMNS.index("titolo")], "oggetto", *COLUMNS[COLUMNS.index("titolo"):]]
ARROW_TYPES = dict.fromkeys(FRAME_COLUMNS, pa.string()) | {"anno": pa.int64(), "valore_ricalcolato": pa.float64(),
                                                           "rango_gravita": pa.int64(), "posizione": pa.int64()}


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    # each finding's own fields (`vars`), not `asdict` (a deep copy of every field: 0,8 s for the 35.000 findings of 62
    # chambers): the fields are plain values (text, numbers, None) and the frame copies them
    frame = pd.DataFrame([vars(f) for f in findings], columns=COLUMNS)
    frame.insert(frame.columns.get_loc("titolo"), "oggetto", [f.oggetto for f in findings])
    return frame


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {g: 0 for g in GRAVITA}
    for f in findings:
        out[f.gravita] += 1
    return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.gravita == ERRORE for f in findings)


# ------------------------------------------------------------------ what every finding gets after its check

@fatto
def _COLLOCAZIONE(nodi: pd.DataFrame = NODI_SQL, indicatori: pd.DataFrame = INDICATORI_SQL):
    """(area of each node, objective of each indicator), by (ente, anno, codice): made from the columns' Python
    values (`tolist`), not value by value from pandas (0,1 s for the 35.000 nodes and indicators of a 100k import)."""
    placed = nodi[nodi["codice_area"].notna().to_numpy()]
    areas = dict(zip(zip(placed["ente"].tolist(), [int(a) for a in placed["anno"].tolist()], placed["codice"].tolist()),
                     placed["codice_area"].tolist()))
    owners = dict(zip(zip(indicatori["ente"].tolist(), [int(a) for a in indicatori["anno"].tolist()],
                          indicatori["codice"].tolist()), indicatori["codice_obiettivo"].tolist()))
    return areas, owners


@fatto
def _TESTO(testo: pd.DataFrame = query("fonte_testo")) -> dict[tuple[str, int], dict[int, str]]:
    """The report's text (fonte_righe) by (ente, anno) and line, for the quotations."""
    out: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for ente, anno, riga, riga_testo in zip(testo["ente"], testo["anno"], testo["riga"], testo["testo"]):
        out[(ente, int(anno))][int(riga)] = riga_testo
    return out


def _with(f: Finding, changes: dict) -> Finding:
    """The finding with `changes`: one copy for what _placed and _completed add (a copy costs more than both)."""
    return replace(f, **changes) if changes else f


def _placed(f: Finding, areas, owners) -> dict:
    """The objective (from the indicator) and the area (from the objective) a finding belongs to, when it lacks them
    (the fields to change)."""
    changes = {}
    obiettivo = f.codice_obiettivo or owners.get((f.ente, int(f.anno), f.codice_indicatore))
    if obiettivo and not f.codice_obiettivo:
        changes["codice_obiettivo"] = obiettivo
    if obiettivo and not f.codice_area and areas.get((f.ente, int(f.anno), obiettivo)):
        changes["codice_area"] = areas[(f.ente, int(f.anno), obiettivo)]
    return changes


def _completed(f: Finding, text) -> dict:
    """The rule applied (the check's own description when the finding names no configurable rule) and the text of
    the cited lines, from the stored source (fonte_righe), when the report's text is loaded (the fields to change:
    none of those _placed changes)."""
    changes = {}
    if f.regola is None:
        changes["regola"] = CHECKS[f.controllo].regola
    quoted = fonte.citation(text.get((f.ente, int(f.anno)), {}), f.righe_fonte)
    if quoted and f.citazione is None:
        changes["citazione"] = quoted
    return changes
