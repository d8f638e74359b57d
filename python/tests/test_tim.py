"""Tests of the tim Python module on the seed articles."""
import os
import sys
import threading

import pytest

import tim  # built by -DTIM_PYTHON=ON into build/python (PYTHONPATH)

SEEDS = os.path.join(os.environ.get("TIM_SOURCE_DIR", "."), "seeds")


@pytest.fixture()
def db(tmp_path):
    database = tim.Database(str(tmp_path / "db"))
    report = database.ingest(paths=[SEEDS])
    assert report["added"] == 5
    return database


def test_versions():
    assert tim.__version__.count(".") == 2
    assert tim.SCHEMA_VERSION > 0
    assert tim.XAPIAN_VERSION.startswith("1.4")


def test_search_mirrors_the_json_contract(db):
    response = db.search("dam phan", limit=2, facets="year,source")
    assert response["total"] == 5
    assert len(response["hits"]) == 2
    assert {"rank", "id", "title", "snippet", "score"} <= set(response["hits"][0])
    assert list(response["facets"]) == ["year", "source"]
    assert response["suggestion"] == "đàm phán"


def test_search_takes_every_option(db):
    response = db.search("Nga", sort="date", offset=1, limit=1, source=["unknown"],
                         filter=["year=2025"], facet_limit=1, recency=30,
                         recency_weight=0.5, bm25_k1=1.2, bm25_b=0.7,
                         inferred_dates=True, suggest=False, strict=True)
    assert response["total"] >= 1
    assert db.search("Nga", to="2000")["total"] == 0


def test_errors_carry_their_code(db):
    with pytest.raises(tim.Error) as raised:
        db.search("x", sort="sideways")
    assert raised.value.code == "invalid_argument"
    with pytest.raises(tim.Error) as raised:
        tim.Database("/nonexistent/db").stats()
    assert raised.value.code == "not_found"


def test_matches_get_and_stats(db):
    matches = db.matches()
    assert len(matches) == 5
    first = db.get(matches[0]["id"])
    assert first["body"] == matches[0]["body"]
    assert db.get("no-such-id") is None
    seen = []
    assert db.for_each_match(lambda article: seen.append(article["id"]) or len(seen) < 2) == 2
    stats = db.stats()
    assert stats["documents"] == 5
    assert stats["schema_version"] == tim.SCHEMA_VERSION


def test_ingest_dicts_is_atomic(db):
    good = {"id": "py-1", "title": "Thử nghiệm", "body": "Bài viết thử nghiệm từ Python.",
            "source": "Tuổi Trẻ", "date": "2025-01-02"}
    with pytest.raises(tim.Error):
        db.ingest([good, {"id": "py-2", "title": 3}])
    assert db.get("py-1") is None
    report = db.ingest([good])
    assert report["added"] == 1
    assert db.get("py-1")["source"] == "Tuổi Trẻ"
    assert db.delete(["py-1"])["deleted"] == ["py-1"]


def test_searches_run_in_threads(db):
    totals = []
    threads = [threading.Thread(target=lambda: totals.append(db.search("dam")["total"]))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert totals == [5] * 4


def test_analyst_facet_table(db):
    """Facet counts of a query into a table, as in a notebook."""
    response = db.search("đàm phán", limit=0, facets="year,source")
    rows = [(facet, value["value"], value["count"])
            for facet, values in response["facets"].items() for value in values]
    table = {(facet, value): count for facet, value, count in rows}
    assert sum(count for (facet, _), count in table.items() if facet == "year") == \
        response["total"]
    assert table[("source", "unknown")] == response["total"]


def released_gil_while(call, attempts):
    """Whether another Python thread ran inside `call()`, tried up to
    `attempts` times. No preemptive switch is possible (switch interval of
    an hour), so the waiting thread can only run when a call releases the
    GIL; that thread needs the GIL for one step, so a call that holds it
    throughout cannot pass by luck. Counted, not timed."""
    ran = []
    gate = threading.Lock()
    gate.acquire()

    def step():
        with gate:
            ran.append(True)
    witness = threading.Thread(target=step)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(3600)
    try:
        witness.start()  # parks on the gate, releasing the GIL
        gate.release()
        for _ in range(attempts):
            call()
            if ran:
                break
        released = bool(ran)
    finally:
        sys.setswitchinterval(interval)
        witness.join()
    return released


def test_searches_release_the_gil(db):
    assert released_gil_while(lambda: db.search("dam phan", facets="year,source"), 1000)
    assert released_gil_while(lambda: db.matches("dam phan"), 1000)
    assert released_gil_while(lambda: db.for_each_match(lambda article: True), 1000)


def test_ingest_releases_the_gil(db, tmp_path):
    article = {"id": "gil", "title": "Thử", "body": "Bài viết thử khóa GIL.", "date": "2025-01-02"}
    assert released_gil_while(lambda: db.ingest([article]), 200)
    assert released_gil_while(lambda: db.ingest(paths=[SEEDS]), 200)
