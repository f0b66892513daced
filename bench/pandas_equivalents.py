"""The same answers as queries/*.sql, computed with pandas on tables already in memory (loading them is not timed:
the comparison favours pandas). Each function takes the tables and the same parameters as the SQL file.
bench_queries.py checks that both give the same number of rows (and the same values on key columns)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _f(df, **eq):
    mask = np.ones(len(df), dtype=bool)
    for col, val in eq.items():
        if val is not None:
            mask &= (df[col] == val).to_numpy(dtype=bool, na_value=False)
    return df[mask]


def stg_nodi(t):
    a, o = t["aree"], t["obiettivi"]
    areas = pd.DataFrame({"ente": a["ente"], "anno": a["anno"], "codice": a["codice"], "livello": "area",
                          "codice_area": a["codice"], "codice_strategico": None, "codice_operativo": None,
                          "titolo": a["denominazione"].fillna(a["missione_descrizione"]),
                          "centro_responsabilita": a["centro_responsabilita"], "responsabile": a["responsabile"]})
    s = o[o["livello"] == "strategico"]
    strat = pd.DataFrame({"ente": s["ente"], "anno": s["anno"], "codice": s["codice"], "livello": "strategico",
                          "codice_area": s["codice_padre"], "codice_strategico": s["codice"], "codice_operativo": None,
                          "titolo": s["titolo"], "centro_responsabilita": s["centro_responsabilita"], "responsabile": s["responsabile"]})
    op = o[o["livello"] == "operativo"].merge(s[["ente", "anno", "codice", "codice_padre"]].rename(
        columns={"codice": "codice_padre", "codice_padre": "codice_area"}), on=["ente", "anno", "codice_padre"])
    ops = pd.DataFrame({"ente": op["ente"], "anno": op["anno"], "codice": op["codice"], "livello": "operativo",
                        "codice_area": op["codice_area"], "codice_strategico": op["codice_padre"], "codice_operativo": op["codice"],
                        "titolo": op["titolo"], "centro_responsabilita": op["centro_responsabilita"], "responsabile": op["responsabile"]})
    return pd.concat([areas, strat, ops], ignore_index=True)


def _stato(i):
    stato = np.full(len(i), "qualitativo", dtype=object)
    num = (i["va_tipo"] == "numerico") & (i["vr_tipo"] == "numerico")
    vr, va, op = i["vr_numero"], i["va_numero"], i["va_operatore"]
    ok = np.select([op == ">=", op == "<=", op == ">", op == "<"], [vr >= va, vr <= va, vr > va, vr < va], vr == va)
    stato[num.to_numpy()] = np.where(ok[num.to_numpy()], "raggiunto", "non raggiunto")
    stato[(i["vr_tipo"] == "assente").to_numpy()] = "non rilevato"
    stato[(i["va_tipo"] == "assente").to_numpy()] = "senza target"
    return stato


def stg_indicatori(t, ind=None):
    i = t["indicatori"] if ind is None else ind
    if ind is not None and len(ind) and ind["ente"].nunique() == 1 and ind["anno"].nunique() == 1:
        e, a = ind["ente"].iloc[0], ind["anno"].iloc[0]  # one report: build its nodes only
        t = {k: _f(t[k], ente=e, anno=a) for k in ("aree", "obiettivi")}
    n = stg_nodi(t).rename(columns={"codice": "codice_obiettivo", "livello": "livello_nodo", "titolo": "titolo_nodo"})
    out = i.merge(n, on=["ente", "anno", "codice_obiettivo"], how="left")
    out["stato"] = _stato(out)
    return out


def stg_serie_correnti(t, **eq):
    s = _f(t["serie_storiche"], **eq)
    s = s.sort_values("anno", ascending=False, kind="stable")
    return s.drop_duplicates(["ente", "serie", "anno_valore"], keep="first")


def valori_serie(t, ente=None, serie=None, anno_da=None, anno_a=None):
    s = stg_serie_correnti(t, ente=ente, serie=serie)
    if anno_da is not None:
        s = s[s["anno_valore"] >= anno_da]
    if anno_a is not None:
        s = s[s["anno_valore"] <= anno_a]
    return s.sort_values(["ente", "serie", "anno_valore"])


def andamento_pratiche_evase(t, ente=None, anno_base=None):
    s = stg_serie_correnti(t, ente=ente, serie="pratiche_evase_5gg").rename(columns={"anno_valore": "anno_v"})
    s = s.assign(tasso_calcolato=100.0 * s["numeratore"] / s["denominatore"].replace(0, np.nan))
    base = s[s["anno_v"] == (anno_base or 2013)][["ente", "numeratore", "tasso_calcolato", "valore"]]
    out = s.merge(base, on="ente", how="left", suffixes=("", "_b"))
    out["indice_base"] = 100.0 * out["tasso_calcolato"] / out["tasso_calcolato_b"]
    out["evase_su_base"] = 100.0 * out["numeratore"] / out["numeratore_b"]
    ind = t["indicatori"][["ente", "anno", "codice", "vr_numero"]]
    out = out.merge(ind, left_on=["ente", "anno_v", "codice_indicatore"], right_on=["ente", "anno", "codice"], how="left", suffixes=("", "_i"))
    return out.sort_values(["ente", "anno_v"])


def andamento_imprese_internazionalizzazione(t, ente=None):
    s = stg_serie_correnti(t, ente=ente, serie="imprese_internazionalizzazione")[["ente", "anno_valore", "valore", "anno", "codice_indicatore"]]
    prev = s[["ente", "anno_valore", "valore"]].assign(anno_valore=s["anno_valore"] + 1)
    out = s.merge(prev, on=["ente", "anno_valore"], how="left", suffixes=("", "_prec"))
    out["percentuale"] = 100.0 * out["valore"] / out["valore_prec"].replace(0, np.nan)
    ind = t["indicatori"][["ente", "anno", "codice", "vr_numero"]]
    out = out.merge(ind, left_on=["ente", "anno_valore", "codice_indicatore"], right_on=["ente", "anno", "codice"], how="left", suffixes=("", "_i"))
    return out.sort_values(["ente", "anno_valore"])


def contenimento_costi(t, ente=None, anno_base=None):
    s = stg_serie_correnti(t, ente=ente)
    s = s[s["serie"].str.startswith("costi_")]
    base = s[s["anno_valore"] == (anno_base or 2011)][["ente", "serie", "valore"]]
    out = s.merge(base, on=["ente", "serie"], how="left", suffixes=("", "_base"))
    out["percentuale_base"] = 100.0 * out["valore"] / out["valore_base"].replace(0, np.nan)
    ind = t["indicatori"][["ente", "anno", "codice", "vr_numero"]]
    out = out.merge(ind, left_on=["ente", "anno_valore", "codice_indicatore"], right_on=["ente", "anno", "codice"], how="left", suffixes=("", "_i"))
    return out.sort_values(["ente", "serie", "anno_valore"])


def scheda_indicatori(t, ente=None, anno=None, area=None, obiettivo=None, tipo=None, responsabile=None, centro=None,
                        stato=None, testo=None):
    s = stg_indicatori(t, _f(t["indicatori"], ente=ente, anno=anno, tipo=tipo))
    s = _f(s, codice_area=area, responsabile=responsabile, centro_responsabilita=centro, stato=stato)
    if obiettivo is not None:
        s = s[(s["codice_strategico"] == obiettivo) | (s["codice_operativo"] == obiettivo)]
    return s.sort_values(["ente", "anno", "codice_area", "codice_strategico", "codice_operativo", "codice"], na_position="first")


def punti_deboli(t, ente=None, anno=None, area=None):
    s = _f(stg_indicatori(t, _f(t["indicatori"], ente=ente, anno=anno)), codice_area=area)
    keep = s["stato"].isin(["non raggiunto", "non rilevato", "senza target"]) | (s["esito_dichiarato"].fillna("") != "OBIETTIVO CONSEGUITO")
    return s[keep].sort_values(["ente", "anno", "codice"])


def riepilogo_aree(t, ente=None, anno=None):
    sub = {k: _f(t[k], ente=ente, anno=anno) for k in ("aree", "obiettivi", "indicatori")}  # filter first, as SQL does
    a = sub["aree"]
    nodi = stg_nodi(sub)
    n = nodi.assign(obiettivi_strategici=nodi["livello"] == "strategico", obiettivi_operativi=nodi["livello"] == "operativo") \
        .groupby(["ente", "anno", "codice_area"])[["obiettivi_strategici", "obiettivi_operativi"]].sum().reset_index()
    s = stg_indicatori(sub)
    s["misurabili"] = s["stato"].isin(["raggiunto", "non raggiunto"])
    s["raggiunti"] = s["stato"] == "raggiunto"
    i = s.groupby(["ente", "anno", "codice_area"]).agg(indicatori=("codice", "size"), misurabili=("misurabili", "sum"),
                                                       raggiunti=("raggiunti", "sum")).reset_index()
    out = a.rename(columns={"codice": "codice_area"}).merge(n, on=["ente", "anno", "codice_area"], how="left").merge(
        i, on=["ente", "anno", "codice_area"], how="left")
    out["quota_raggiunti"] = 100.0 * out["raggiunti"] / out["misurabili"].replace(0, np.nan)
    return out.sort_values(["ente", "anno", "codice_area"])


def cifre_chiave_per_nodo(t, ente=None, anno=None, area=None, obiettivo=None):
    c = _f(t["cifre_chiave"], ente=ente, anno=anno)
    n = stg_nodi(t).rename(columns={"codice": "codice_obiettivo"})
    out = c.merge(n, on=["ente", "anno", "codice_obiettivo"], how="left")
    out = _f(out, codice_area=area)
    if obiettivo is not None:
        out = out[(out["codice_strategico"] == obiettivo) | (out["codice_operativo"] == obiettivo)]
    return out.sort_values(["ente", "anno", "codice_area", "riga_fonte", "voce"])


def nodi_piano(t, ente=None, anno=None, area=None, livello=None):
    sub = {k: _f(t[k], ente=ente, anno=anno) for k in ("aree", "obiettivi", "indicatori")}  # filter first, as SQL does
    n = _f(stg_nodi(sub), codice_area=area, livello=livello)
    s = stg_indicatori(sub)
    i = s.groupby(["ente", "anno", "codice_obiettivo"]).agg(indicatori=("codice", "size")).reset_index()
    out = n.merge(i.rename(columns={"codice_obiettivo": "codice"}), on=["ente", "anno", "codice"], how="left")
    return out.sort_values(["ente", "anno", "codice_area", "codice_strategico", "codice_operativo"], na_position="first")


def scelte_nodi(t, ente=None, anno=None):
    sub = {k: _f(t[k], ente=ente, anno=anno) for k in ("aree", "obiettivi")}
    n = stg_nodi(sub)
    n = n[n["livello"].isin(["area", "strategico"])]
    o = sub["obiettivi"][["codice", "denominazione"]] if "denominazione" in sub["obiettivi"] else sub["obiettivi"][["codice"]]
    out = n.merge(o, on="codice", how="left")
    out["etichetta"] = out.get("denominazione", out["titolo"]).fillna(out["titolo"]).fillna("(senza titolo nella relazione)")
    return out.sort_values(["codice_area", "codice_strategico"], na_position="first")[["codice", "livello", "codice_area", "etichetta"]]


def scelte_periodi(t):
    a = t["aree"].groupby(["ente", "anno"]).agg(aree=("codice", "nunique")).reset_index()
    o = t["obiettivi"].groupby(["ente", "anno"]).size().rename("obiettivi").reset_index()
    i = t["indicatori"].groupby(["ente", "anno"]).size().rename("indicatori").reset_index()
    out = a.merge(o, on=["ente", "anno"], how="left").merge(i, on=["ente", "anno"], how="left").fillna({"obiettivi": 0, "indicatori": 0})
    return out.sort_values(["anno", "indicatori", "ente"], ascending=[False, False, True])


def _numeric_year(t, anno):
    i = t["indicatori"]
    anno = anno if anno is not None else i["anno"].max()
    return i[(i["anno"] == anno) & (i["vr_tipo"] == "numerico")]


def indicatori_confrontabili(t, anno=None, ente=None):
    v = _numeric_year(t, anno)
    g = v.groupby("descrizione")
    out = pd.DataFrame({"enti": g["ente"].nunique()})
    out = out[out["enti"] >= 2].reset_index()
    if ente is not None:
        mine = v[v["ente"] == ente].groupby("descrizione")["vr_numero"].mean().rename("valore_ente")
        out = out.merge(mine, on="descrizione", how="left")
    return out.sort_values(["enti", "descrizione"], ascending=[False, True])


def confronto_indicatore(t, descrizione=None, anno=None, ente=None):
    v = _numeric_year(t, anno)
    v = v[v["descrizione"] == descrizione]
    low = v["va_operatore"].isin(["<=", "<"]).sum() > v["va_operatore"].isin([">=", ">"]).sum()
    p = v.groupby("ente").agg(valore=("vr_numero", "mean"), valore_atteso=("va_numero", "mean")).reset_index()
    p["posizione"] = p["valore"].rank(method="min", ascending=low)
    p["percentile"] = 100.0 * (p["valore"].rank(method="min", ascending=not low) - 1) / max(len(p) - 1, 1)
    p["mediana"] = p["valore"].median()
    p["e_ente"] = p["ente"] == ente
    return p.sort_values(["posizione", "ente"])


EQUIVALENTS = {name: fn for name, fn in globals().items()
               if callable(fn) and not name.startswith("_") and name not in ("stg_nodi", "stg_indicatori", "stg_serie_correnti")
               and fn.__module__ == __name__}
