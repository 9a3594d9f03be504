import pytest


def good_payload(**over):
    data = {
        "court": "粤0306",
        "case_type": "民初",
        "cause": "民间借贷纠纷",
        "procedure": "simple",
        "claim_amount": "100000",
        "claims": ["判令被告偿还借款本金100000元", "判令被告承担本案诉讼费用"],
        "facts": "2025年3月1日被告向原告借款100000元，约定同年9月1日归还，到期未还。",
        "parties": [
            {"role": "plaintiff", "kind": "natural", "name": "张伟", "id_number": "11010519491231002X",
             "phone": "13912345678", "address": "深圳市宝安区新安街道"},
            {"role": "defendant", "kind": "natural", "name": "李娜", "address": "深圳市宝安区西乡街道"},
        ],
    }
    data.update(over)
    return data


@pytest.fixture
def payload():
    return good_payload


@pytest.fixture
def submitted(users, payload):
    """submitted(**overrides) → a filing the plaintiff submitted."""
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    def make(user="plaintiff", **over):
        filing = filing_save_draft(filer=users[user], data=payload(**over))
        return filing_submit(filing=filing, actor=users[user])

    return make


@pytest.fixture
def pdf_blob(users):
    """pdf_blob(title, body, owner="plaintiff") → the Blob of a PDF that `owner` uploaded through the checked
    intake (an accepted upload of theirs: the only way a filing may name stored content)."""
    import io

    from yunting.core.efile.intake import upload_receive
    from yunting.kernel.pdf.make import simple_pdf

    def make(title="借条", body="今借到张伟人民币十万元整。", owner="plaintiff"):
        upload = upload_receive(streams=[io.BytesIO(simple_pdf(title=title, body=body))], purpose="filing",
                                user=users[owner])
        upload.refresh_from_db()
        assert upload.status == "accepted", upload.problems
        return upload.document

    return make


@pytest.fixture
def as_user(client, users):
    """as_user("plaintiff") → the test client, logged in as that cast member."""
    def login(name):
        client.force_login(users[name])
        return client

    return login
