def test_case_open_numbers_and_journals(make_case):
    a = make_case()
    b = make_case()
    assert a.number.endswith("民初1号") and a.number.startswith("（20")
    assert b.number.endswith("民初2号")
    assert a.journal_length == 1
    entry = a.journal.get()
    assert entry.kind == "case.registered" and entry.prev_hash == "0" * 64
