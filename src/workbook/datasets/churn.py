"""Synthetic, deliberately dirty raw sources for a customer-churn pipeline.

Used by Chapter 02 (data pipelines) and Lab 02 (the hybrid ETL/ELT churn pipeline). Nothing
here is real data: every customer, sale and event is drawn from a seeded NumPy generator, so
the same ``seed`` always writes byte-identical files.

Three sources, as a small shop would have them:

* ``customers.db``, a SQLite table ``customers`` (the CRM): customer_id, signup_date, country, city;
* ``sales.csv``, the finance export: sale_id, customer_id, sale_ts, amount;
* ``events.json``, the web tracker: a JSON array of records event_id, customer_id, event_ts, event_type.

Customers differ: some buy every week, some once a quarter, some never, and about one in five
stops buying at some point (a churner). The files hold planted dirt, written as-is: duplicated
rows, re-sent sales (the same sale_id again, hours later), missing keys, negative, zero, missing
and extreme amounts, unparseable timestamps and inconsistently spelled countries. The
:class:`SourceManifest` returned by :func:`write_sources` says exactly how much of each was planted.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["COUNTRIES", "EVENT_TYPES", "SourceManifest", "TS_FORMAT", "write_sources"]

START = pd.Timestamp("2024-01-01")
"""The first day of activity in the sources."""
SPAN_DAYS = 400
"""Days of activity: sales and events fall in ``[START, START + SPAN_DAYS)``."""
CUTOFF_DAY = 330
"""The suggested cutoff, in days after ``START``."""
OBS_DAYS, LABEL_DAYS = 200, 60
"""The suggested observation window before the cutoff and label window after it."""

TS_FORMAT = "%Y-%m-%d %H:%M:%S"
"""How ``sales.csv`` writes ``sale_ts`` (``events.json`` uses ISO 8601 with a ``T``)."""
COUNTRIES: dict[str, tuple[str, ...]] = {
    "DE": ("Berlin", "Munich", "Hamburg"),
    "FR": ("Paris", "Lyon", "Marseille"),
    "US": ("New York", "Austin", "Seattle"),
    "IN": ("Bengaluru", "Mumbai"),
    "BR": ("Sao Paulo", "Recife"),
}
"""The canonical country codes and the cities of each."""
EVENT_TYPES = ("login", "view", "cart")
"""The kinds of tracker event."""

_COUNTRY_P = (0.3, 0.2, 0.3, 0.1, 0.1)
_BAD_TIMESTAMPS = ("not-a-date", "2024-13-45", "31/02/2024", "yesterday")
_FIRST_SALE_ID, _FIRST_EVENT_ID = 100_001, 5_000_001


@dataclass(frozen=True)
class SourceManifest:
    """What :func:`write_sources` wrote: the files, the time span, a suggested cutoff and the planted dirt.

    All ``n_*`` counts refer to distinct rows: a row carries at most one kind of dirt, and the
    duplicated or re-sent rows are copies of clean rows.
    """

    folder: Path
    customers_db: Path
    sales_csv: Path
    events_json: Path
    seed: int
    n_customers: int
    """Distinct real customers (ids ``1 .. n_customers``)."""
    start: pd.Timestamp
    end: pd.Timestamp
    """Activity falls in ``[start, end)``."""
    cutoff: pd.Timestamp
    obs_days: int
    label_days: int
    n_signups_after_cutoff: int
    """Customers who signed up after ``cutoff`` (they did not exist yet at the cutoff)."""
    # raw rows in each file
    n_customer_rows: int
    n_sales_rows: int
    n_event_rows: int
    # customers.db
    n_duplicate_customers: int
    n_customers_missing_id: int
    n_messy_countries: int
    n_missing_cities: int
    # sales.csv
    n_duplicate_sales: int
    n_resent_sales: int
    n_sales_missing_customer_id: int
    n_sales_missing_sale_id: int
    n_bad_sale_timestamps: int
    n_nonpositive_amounts: int
    n_missing_amounts: int
    n_extreme_amounts: int
    # events.json
    n_duplicate_events: int
    n_events_missing_customer_id: int
    n_events_missing_event_id: int
    n_bad_event_timestamps: int

    @property
    def obs_start(self) -> pd.Timestamp:
        """The start of the observation window, ``cutoff - obs_days`` (excluded)."""
        return self.cutoff - pd.Timedelta(days=self.obs_days)

    @property
    def label_end(self) -> pd.Timestamp:
        """The end of the label window, ``cutoff + label_days`` (included)."""
        return self.cutoff + pd.Timedelta(days=self.label_days)

    @property
    def n_sales_to_quarantine(self) -> int:
        """Sales rows that cannot be used: a missing key or an unparseable timestamp."""
        return self.n_sales_missing_customer_id + self.n_sales_missing_sale_id + self.n_bad_sale_timestamps

    @property
    def n_clean_sales(self) -> int:
        """Sales left after quarantining unusable rows and removing duplicates and re-sends."""
        return self.n_sales_rows - self.n_sales_to_quarantine - self.n_duplicate_sales - self.n_resent_sales

    @property
    def n_events_to_quarantine(self) -> int:
        """Event records with a missing key or an unparseable timestamp."""
        return self.n_events_missing_customer_id + self.n_events_missing_event_id + self.n_bad_event_timestamps

    @property
    def n_clean_events(self) -> int:
        """Event records left after quarantine and deduplication."""
        return self.n_event_rows - self.n_events_to_quarantine - self.n_duplicate_events

    def dirt(self) -> dict[str, int]:
        """The planted counts, ``{field name: count}``, for display.

        >>> list(manifest.dirt())[:2]  # doctest: +SKIP
        ['n_duplicate_customers', 'n_customers_missing_id']
        """
        skip = {"n_customers", "n_signups_after_cutoff", "n_customer_rows", "n_sales_rows", "n_event_rows"}
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name.startswith("n_") and f.name not in skip}


def write_sources(folder: str | Path, *, n_customers: int = 2000, seed: int = 0) -> SourceManifest:
    """Write ``customers.db``, ``sales.csv`` and ``events.json`` with planted dirt into ``folder``.

    Args:
        folder: where to write; created if missing, the three files are overwritten.
        n_customers: distinct customers (at least 20). There are about 15 sales per customer.
        seed: seed of the NumPy generator; the same seed writes byte-identical files.

    Returns:
        A :class:`SourceManifest` with the paths, the suggested cutoff and windows, and the
        planted dirt counts.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     m = write_sources(tmp, n_customers=200, seed=1)
        ...     print(m.cutoff.date(), m.obs_days, m.label_days, m.n_customers)
        2024-11-26 200 60 200
    """
    if n_customers < 20:
        raise ValueError(f"n_customers must be at least 20, got {n_customers}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    people = _people(rng, n_customers)
    customer_counts = _write_customers(rng, people, folder / "customers.db")
    sales_counts = _write_sales(rng, people, folder / "sales.csv")
    event_counts = _write_events(rng, people, folder / "events.json")
    return SourceManifest(
        folder=folder, customers_db=folder / "customers.db", sales_csv=folder / "sales.csv",
        events_json=folder / "events.json", seed=seed, n_customers=n_customers,
        start=START, end=START + pd.Timedelta(days=SPAN_DAYS),
        cutoff=START + pd.Timedelta(days=CUTOFF_DAY), obs_days=OBS_DAYS, label_days=LABEL_DAYS,
        n_signups_after_cutoff=int((people["signup_day"] > CUTOFF_DAY).sum()),
        **customer_counts, **sales_counts, **event_counts,
    )


def _people(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Draw who the customers are and how they behave (never written as such)."""
    signup_day = np.floor(rng.uniform(-730, SPAN_DAYS - 30, n)).astype(int)
    country = rng.choice(list(COUNTRIES), size=n, p=_COUNTRY_P)
    city = np.empty(n, dtype=object)
    for code, cities in COUNTRIES.items():
        mask = country == code
        city[mask] = np.asarray(cities, dtype=object)[rng.integers(0, len(cities), mask.sum())]
    rate = rng.gamma(2.0, 1 / 40, n)                      # purchases per day, mean one every 20 days
    rate[rng.random(n) < 0.05] = 0.0                      # a few sign up and never buy
    active_from = np.maximum(signup_day, 0).astype(float)
    stop = np.where(rng.random(n) < 0.2, rng.uniform(30, SPAN_DAYS, n), SPAN_DAYS)
    active_to = np.maximum(stop, active_from)
    spend = rng.lognormal(np.log(35), 0.6, n)             # a customer's typical basket
    return {"customer_id": np.arange(1, n + 1), "signup_day": signup_day, "country": country, "city": city,
            "rate": rate, "active_from": active_from, "active_to": active_to, "spend": spend}


def _activity(rng: np.random.Generator, people: dict, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson activity over each customer's active period: (owner index, day offset), sorted by time."""
    duration = people["active_to"] - people["active_from"]
    counts = rng.poisson(rate * duration)
    owner = np.repeat(np.arange(len(counts)), counts)
    day = people["active_from"][owner] + rng.random(owner.size) * duration[owner]
    order = np.argsort(day, kind="stable")
    return owner[order], day[order]


def _timestamps(day: np.ndarray, sep: str) -> np.ndarray:
    """Day offsets after START as second-resolution strings, ``YYYY-MM-DD<sep>HH:MM:SS``."""
    seconds = np.round(day * 86_400).astype("int64")
    stamps = np.datetime64(START.date(), "s") + seconds.astype("timedelta64[s]")
    text = np.datetime_as_string(stamps, unit="s")
    return (np.char.replace(text, "T", sep) if sep != "T" else text).astype(object)


def _pick(rng: np.random.Generator, n_rows: int, sizes: dict[str, int], skip_first: int = 5) -> dict[str, np.ndarray]:
    """Disjoint random row positions, one group per kind of dirt (the first rows stay clean)."""
    chosen = rng.choice(np.arange(skip_first, n_rows), size=sum(sizes.values()), replace=False)
    bounds = np.cumsum([0, *sizes.values()])
    return {name: np.sort(chosen[a:b]) for name, a, b in zip(sizes, bounds[:-1], bounds[1:])}


def _write_customers(rng: np.random.Generator, people: dict, path: Path) -> dict[str, int]:
    n = len(people["customer_id"])
    signup = (np.datetime64(START.date(), "D") + people["signup_day"].astype("timedelta64[D]")).astype(str)
    rows = [[int(i), str(s), str(c), str(t)] for i, s, c, t in
            zip(people["customer_id"], signup, people["country"], people["city"])]
    sizes = {"messy": max(3, n // 50), "no_city": max(2, n // 100), "dup": max(2, n // 200)}
    picks = _pick(rng, n, sizes, skip_first=0)
    for i in picks["messy"]:
        code = rows[i][2]
        rows[i][2] = (f" {code.lower()}", f"{code.capitalize()} ", code.lower(), f" {code} ")[rng.integers(4)]
    for i in picks["no_city"]:
        rows[i][3] = None
    extra = [list(rows[i]) for i in picks["dup"]]
    n_missing = max(2, n // 250)
    codes = rng.choice(list(COUNTRIES), size=n_missing)
    for code, day in zip(codes, rng.integers(-730, CUTOFF_DAY, n_missing)):
        extra.append([None, str(np.datetime64(START.date(), "D") + np.timedelta64(int(day), "D")),
                      str(code), COUNTRIES[str(code)][0]])
    rows += extra
    rows = [rows[i] for i in rng.permutation(len(rows))]
    path.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE customers (customer_id INTEGER, signup_date TEXT, country TEXT, city TEXT)")
        con.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", rows)
        con.commit()
    return {"n_customer_rows": len(rows), "n_duplicate_customers": sizes["dup"],
            "n_customers_missing_id": n_missing, "n_messy_countries": sizes["messy"],
            "n_missing_cities": sizes["no_city"]}


def _write_sales(rng: np.random.Generator, people: dict, path: Path) -> dict[str, int]:
    owner, day = _activity(rng, people, people["rate"])
    n = owner.size
    amount = np.round(rng.lognormal(np.log(people["spend"][owner]), 0.4), 2)
    amount = np.maximum(amount, 0.5)
    sale_id = (_FIRST_SALE_ID + np.arange(n)).astype(str).astype(object)
    customer = people["customer_id"][owner].astype(str).astype(object)
    stamp = _timestamps(day, " ")
    money = np.array([f"{a:.2f}" for a in amount], dtype=object)
    sizes = {"no_customer": max(2, n // 500), "no_sale_id": max(2, n // 800), "bad_ts": max(3, n // 400),
             "nonpositive": max(4, n // 250), "no_amount": max(2, n // 500), "extreme": max(2, n // 2000),
             "dup": max(3, n // 200), "resent": max(3, n // 300)}
    picks = _pick(rng, n, sizes)
    customer[picks["no_customer"]] = ""
    sale_id[picks["no_sale_id"]] = ""
    stamp[picks["bad_ts"]] = rng.choice(_BAD_TIMESTAMPS, size=sizes["bad_ts"])
    neg = picks["nonpositive"]
    money[neg] = [f"{-a:.2f}" if k % 2 == 0 else "0.00" for k, a in enumerate(amount[neg])]
    money[picks["no_amount"]] = ""
    money[picks["extreme"]] = [f"{a * 1000:.2f}" for a in amount[picks["extreme"]]]
    # Copies: exact duplicates sit right after their original; re-sends arrive 1 to 48 hours later.
    dup, resent = picks["dup"], picks["resent"]
    later = day[resent] + rng.uniform(1 / 24, 2, resent.size)
    rows = np.concatenate([np.arange(n), dup, resent])
    key = np.concatenate([day, day[dup], later])
    stamp = np.concatenate([stamp, stamp[dup], _timestamps(later, " ")])
    order = np.argsort(key, kind="stable")
    pd.DataFrame({"sale_id": sale_id[rows][order], "customer_id": customer[rows][order],
                  "sale_ts": stamp[order], "amount": money[rows][order]}).to_csv(path, index=False)
    return {"n_sales_rows": rows.size, "n_duplicate_sales": sizes["dup"], "n_resent_sales": sizes["resent"],
            "n_sales_missing_customer_id": sizes["no_customer"], "n_sales_missing_sale_id": sizes["no_sale_id"],
            "n_bad_sale_timestamps": sizes["bad_ts"], "n_nonpositive_amounts": sizes["nonpositive"],
            "n_missing_amounts": sizes["no_amount"], "n_extreme_amounts": sizes["extreme"]}


def _write_events(rng: np.random.Generator, people: dict, path: Path) -> dict[str, int]:
    owner, day = _activity(rng, people, 0.8 * people["rate"] + 0.004)
    n = owner.size
    kinds = rng.choice(EVENT_TYPES, size=n, p=(0.4, 0.45, 0.15))
    stamps = _timestamps(day, "T")
    records = [{"event_id": _FIRST_EVENT_ID + i, "customer_id": int(c), "event_ts": s, "event_type": str(k)}
               for i, (c, s, k) in enumerate(zip(people["customer_id"][owner], stamps, kinds))]
    sizes = {"no_customer": max(2, n // 600), "no_event_id": max(2, n // 600), "bad_ts": max(3, n // 400),
             "dup": max(3, n // 200)}
    picks = _pick(rng, n, sizes)
    for i in picks["no_customer"]:
        del records[i]["customer_id"]            # the key is absent, not null
    for i in picks["no_event_id"]:
        records[i]["event_id"] = None
    for i, bad in zip(picks["bad_ts"], rng.choice(_BAD_TIMESTAMPS, size=sizes["bad_ts"])):
        records[i]["event_ts"] = str(bad)
    dup = set(picks["dup"].tolist())
    out: list[dict] = []
    for i, record in enumerate(records):
        out.append(record)
        if i in dup:
            out.append(dict(record))
    path.write_text("[\n" + ",\n".join(json.dumps(r) for r in out) + "\n]\n", encoding="utf-8")
    return {"n_event_rows": len(out), "n_duplicate_events": sizes["dup"],
            "n_events_missing_customer_id": sizes["no_customer"], "n_events_missing_event_id": sizes["no_event_id"],
            "n_bad_event_timestamps": sizes["bad_ts"]}

