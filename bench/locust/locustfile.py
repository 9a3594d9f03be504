"""The load test (issue 18): parties, lawyers and court staff with realistic think times against `yunting serve
--workers N` on PostgreSQL and Redis. Seed first (bench/locust/seed.py writes targets.json), then e.g.

    locust -f bench/locust/locustfile.py --host http://127.0.0.1:8000 --headless -u 200 -r 5 -t 10m \
        --csv var/load/run --only-summary

(bench/locust/run.sh does all of it). Every request is named by endpoint, so the report gives requests/s,
p50/p95/p99 and failures per endpoint. A response other than the expected status is a failure.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

TARGETS = json.loads((Path(__file__).parent / "targets.json").read_text())
PDF = (Path(__file__).parent / "sample.pdf").read_bytes() if (Path(__file__).parent / "sample.pdf").exists() else b""
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Court(HttpUser):
    abstract = True
    wait_time = between(3, 12)  # a person reads a page before the next click
    login = "plaintiff"

    def on_start(self):
        self.mine = TARGETS["users"][self.login]
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text)
        with self.client.post("/login/", name="log in", allow_redirects=False, catch_response=True,
                              data={"username": self.login, "password": TARGETS["password"],
                                    "csrfmiddlewaretoken": token.group(1) if token else ""},
                              headers={"Referer": self.host + "/login/"}) as r:
            if r.status_code != 302:  # the form again (refused) is a failure, not a page served
                r.failure(f"sign-in answered {r.status_code}, not the redirect to the workbench")

    def _get(self, url: str, name: str):
        """A page or API read; being sent to the sign-in page instead (a lost session) is a failure too."""
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code >= 400:
                r.failure(f"{r.status_code}")
            elif "/login/" in (r.url or ""):
                r.failure("sent to the sign-in page: not signed in")
            else:
                r.success()

    def _csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    def _case(self) -> int:
        return random.choice(self.mine["cases"])

    @task(4)
    def workbench(self):
        self._get("/", "workbench")

    @task(4)
    def case_page(self):
        self._get(f"/cases/{self._case()}/", "case page")

    @task(2)
    def efile(self):
        self._get(f"/cases/{self._case()}/efile/", "e-file")

    @task(2)
    def download(self):
        if self.mine["documents"]:
            doc, _sha = random.choice(self.mine["documents"])
            self._get(f"/documents/{doc}/content", "document download")

    @task(2)
    def api_cases(self):
        """API reads with the session (what the court's own front-ends and integrators call)."""
        self._get("/api/v1/cases?page=1", "API case list")
        self._get(f"/api/v1/cases/{self._case()}", "API case detail")

    @task(1)
    def api_journal(self):
        self._get(f"/api/v1/cases/{self._case()}/journal", "API case journal")

    @task(1)
    def verify(self):
        self._get(f"/verify/?sha256={random.choice(TARGETS['sha256'])}", "verify")


class Party(Court):
    weight = 5
    login = "plaintiff"
    draft = None

    @task(3)
    def autosave(self):
        if self.draft is None:
            r = self.client.post("/filing/new/", name="filing draft open", headers=self._csrf())
            found = re.search(r"/filing/(\d+)/edit/", r.url or "")
            self.draft = int(found.group(1)) if found else 0
        if self.draft:
            self.client.post(f"/filing/{self.draft}/autosave/", name="filing draft autosave", headers={
                **self._csrf(), "HX-Request": "true"}, data={"facts": f"被告借款{random.randint(1, 99)}万元未还。"})


class Lawyer(Party):
    weight = 3
    login = "lawyer"

    @task(1)
    def submit_document(self):
        """A journal-writing act: a document into the e-file (content-checked by a job worker, then journaled)."""
        if PDF:
            body = PDF + f"\n%{random.getrandbits(64):x}\n".encode()  # distinct bytes each time
            self.client.post(f"/cases/{self._case()}/documents/new", name="document submit", headers=self._csrf(),
                             data={"title": "补充证据", "kind": "evidence"},
                             files={"file": ("evidence.pdf", body, "application/pdf")})


class Staff(Court):
    weight = 2
    login = "judge"

    def on_start(self):
        self.login = random.choice(["judge", "clerk"])
        super().on_start()
