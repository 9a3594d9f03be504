import multiprocessing
import threading

import pytest
from django.db import connection, connections, transaction

from yunting.core.cases.models import Case
from yunting.core.cases.numbers import format_case_number, parse_case_number
from yunting.core.cases.services import case_number_allocate

TYPES = {"民初", "民终", "民特", "执", "执保", "刑更", "民诉前调"}


def test_format_uses_full_width_brackets():
    assert format_case_number(year=2026, court_code="粤0306", type_code="民初", sequence=123) == "（2026）粤0306民初123号"
    assert format_case_number(year=2021, court_code="最高法", type_code="民终", sequence=2270, tribunal_code="知") == (
        "（2021）最高法知民终2270号"
    )


@pytest.mark.parametrize(
    ("text", "court", "tribunal", "type_code", "seq"),
    [
        ("（2026）粤0306民初123号", "粤0306", "", "民初", 123),
        ("(2024)浙02民诉前调595号", "浙02", "", "民诉前调", 595),
        ("（2021）最高法知民终2270号", "最高法", "知", "民终", 2270),
        ("（2026）粤03执保7号", "粤03", "", "执保", 7),
    ],
)
def test_parse(text, court, tribunal, type_code, seq):
    n = parse_case_number(text, known_type_codes=TYPES)
    assert (n.court_code, n.tribunal_code, n.type_code, n.sequence) == (court, tribunal, type_code, seq)


def test_allocation_requires_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        case_number_allocate(year=2026, court_code="粤0306", type_code="民初")


def test_sequences_are_per_year_court_and_type(make_case):
    a, b = make_case(type_code="民初"), make_case(type_code="民初")
    c = make_case(type_code="执", cause="借款合同纠纷执行")
    assert (a.sequence, b.sequence, c.sequence) == (1, 2, 1)
    assert c.number.endswith("执1号")


def test_a_rolled_back_case_leaves_no_gap(make_case):
    make_case()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        raise RuntimeError("crash in the middle")
    assert make_case().sequence == 2
    assert Case.objects.count() == 2


def _open_cases(n: int, out: list, errors: list) -> None:
    from tests.core.concurrency import open_one

    try:
        for _ in range(n):
            out.append(open_one())
    except Exception as exc:  # reported by the test
        errors.append(repr(exc))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_allocations_in_threads(cast):
    numbers: list[int] = []
    errors: list[str] = []
    threads = [threading.Thread(target=_open_cases, args=(20, numbers, errors)) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 201))
    assert Case.objects.values("number").distinct().count() == 200


def _process_main(n, queue):
    connections.close_all()
    out, errors = [], []
    _open_cases(n, out, errors)
    queue.put((out, errors))


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_allocations_in_processes(cast):
    if connection.vendor == "sqlite" and ":memory:" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a file database")
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_process_main, args=(25, queue)) for _ in range(8)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [e for _, errs in results for e in errs]
    numbers = [n for out, _ in results for n in out]
    assert not errors
    assert sorted(numbers) == list(range(1, 201))
