"""A new user signs in as every demo login and clicks around: breadth-first over every same-site link and GET form
the pages show, from the workbench. Nothing answers 5xx, no link shown 404s for the person it was shown to, no
page shows a raw template variable or a "None", every page names its language and has a title, and the English
pages' chrome carries no stray Chinese. The anonymous visitor walks the public pages the same way."""

from __future__ import annotations

import io
import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

PASSWORD = "crawl-demo-pass"
MAX_PAGES = 100
EN_PAGES = 15  # in English: the workbench and the first pages each login reaches
MAX_DEPTH = 4
PER_PATTERN = 2  # /cases/1/ and /cases/2/ are the same page with other data: a few of each, not all 56
SKIP_PATH = re.compile(
    r"^/(logout|i18n)/|^/api/|/(content|download|export|package|stream)(/|$)|\.(pdf|zip|csv|json|xlsx?)$"
    # a served document opened by its recipient is the legal read receipt of electronic service: a download
    # whose opening is meant to count, not a page to click through
    r"|^/service/served/")
# tables a read legitimately writes: the read log and its chain, sessions, sign-in bookkeeping, unread marks
READ_WRITES = {"django_session", "readlog", "read_log", "chainhead", "axes_", "readmark"}


@dataclass
class Page:
    url: str
    status: int
    referrer: str | None
    ctype: str = ""
    lang: str = ""


@dataclass
class Links(HTMLParser):
    links: list[str] = field(default_factory=list)
    html_lang: str | None = None
    title: str = ""
    text: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(convert_charrefs=True)
        self._stack: list[str] = []
        self._skip = 0
        self._in_title = False
        self._chrome = 0
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag in ("script", "style", "template", "textarea"):
            self._skip += 1
        elif tag == "a" and a.get("href") and "download" not in a:
            self.links.append(a["href"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"action": a.get("action") or "", "fields": {}} if method == "get" else None
        elif tag in ("input", "select") and self._form is not None and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("hidden", "radio", "checkbox"):
                if kind == "hidden" or "checked" in a:
                    self._form["fields"].setdefault(a["name"], a.get("value") or "")
            elif kind not in ("submit", "button", "file"):
                self._form["fields"].setdefault(a["name"], a.get("value") or "")
        if tag in ("nav", "footer") or (tag == "header" and not self._chrome):
            self._chrome += 1
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in ("script", "style", "template", "textarea"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form" and self._form is not None:
            action, fields = self._form["action"], self._form["fields"]
            self.links.append(action + ("?" + urlencode(fields) if fields else ""))
            self._form = None
        if tag in ("nav", "footer", "header") and self._chrome:
            self._chrome -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self._skip or not data.strip():
            return
        self.text.append(data.strip())
        if self._chrome:
            self.chrome.append(data.strip())


RAW_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}")
LEAKED_WORDS = {"None", "null", "undefined", "NaN", "[]", "{}"}
LEAKED_VALUE = re.compile(r"[:：·¥]\s*(None|null|undefined|NaN)\b")  # a label with a missing value after it
LEAKED = re.compile(r"(?<![\w.-])(None|null|undefined|NaN)(?![\w.-])")
HAN = re.compile(r"[\u4e00-\u9fff]")
ASCII_WORDS = re.compile(r"\b[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}\b")  # a sentence of English words


def pattern_of(path: str) -> str:
    return re.sub(r"/\d+(?=/|$|\.)", "/N", re.sub(r"[0-9a-f]{16,}", "H", path))


@dataclass
class Crawl:
    client: Client
    who: str
    data: tuple[str, ...] = ()
    pages: list[Page] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def run(self, start: str = "/", *, max_pages: int = MAX_PAGES, extra: tuple[str, ...] = ()) -> Crawl:
        queue: deque[tuple[str, int, str | None]] = deque([(start, 0, None), *((u, 1, None) for u in extra)])
        seen: set[str] = {start, *extra}
        per_pattern: dict[str, int] = {}
        while queue and len(self.pages) < max_pages:
            url, depth, referrer = queue.popleft()
            response = self.client.get(url)
            ctype = response.get("Content-Type", "")
            self.pages.append(Page(url, response.status_code, referrer, ctype))
            where = f"{self.who}: {url} (linked from {referrer})"
            if response.status_code >= 500:
                self.problems.append(f"{where} answered {response.status_code}")
                continue
            if response.status_code == 404 and referrer is not None:
                self.problems.append(f"{where} is a link shown that 404s")
                continue
            if response.status_code in (301, 302, 303, 307, 308):
                target = urljoin(url, response["Location"])
                if _same_site(target) and target not in seen and "/login/" not in target:
                    seen.add(target)
                    queue.appendleft((target, depth, url))
                continue
            if response.status_code != 200 or "text/html" not in ctype:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            parsed = Links()
            parsed.feed(body.decode("utf-8", "replace"))
            self.pages[-1].lang = (parsed.html_lang or "").lower()
            fragment = not body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))  # an htmx partial
            self.check(where, parsed, htmx=fragment)
            if depth >= MAX_DEPTH:
                continue
            for href in parsed.links:
                target = _normalise(url, href)
                if target is None or target in seen:
                    continue
                key = pattern_of(urlsplit(target).path)
                if per_pattern.get(key, 0) >= PER_PATTERN:
                    continue
                per_pattern[key] = per_pattern.get(key, 0) + 1
                seen.add(target)
                queue.append((target, depth + 1, url))
        return self

    def check(self, where: str, page: Links, *, htmx: bool) -> None:
        lang = (page.html_lang or "").lower()
        if not htmx:
            if not page.html_lang:
                self.problems.append(f"{where}: <html> has no lang")
            if not page.title.strip() or page.title.strip().startswith("·"):
                self.problems.append(f"{where}: no <title>")
        text = " ".join(page.text)
        if m := RAW_TEMPLATE.search(text):
            self.problems.append(f"{where}: raw template text …{text[max(0, m.start() - 40):m.end() + 40]}…")
        for line in page.text:
            if line in LEAKED_WORDS or (lang.startswith("zh") and LEAKED.search(line)) or LEAKED_VALUE.search(line):
                self.problems.append(f"{where}: shows {line[:120]!r}")
                break
        chrome = " ".join(page.chrome)
        for data in self.data:  # names (people, courts) are data, and each language is named in its own
            chrome = chrome.replace(data, "")
        if lang == "en" and (m := HAN.search(chrome)):
            self.problems.append(f"{where}: Chinese in the English chrome …{chrome[max(0, m.start() - 30):m.end() + 30]}…")
        if lang.startswith("zh"):
            for line in page.text:
                if ASCII_WORDS.search(line) and not HAN.search(line):
                    self.problems.append(f"{where}: untranslated English {line[:120]!r}")
                    break


def _same_site(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("", "http") and parts.netloc in ("", "testserver")


def _normalise(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:", "blob:")):
        return None
    target = urldefrag(urljoin("http://testserver" + base, href))[0]
    if not _same_site(target):
        return None
    parts = urlsplit(target)
    if SKIP_PATH.search(parts.path) or parts.path.startswith("/static/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and not any(w in table.lower() for w in READ_WRITES):
            counts[table] = model._default_manager.count()
    return counts


def _changed(who: str, before: dict[str, int]) -> list[str]:
    after = _row_counts()
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    return [f"{who}: GET requests changed rows {changed}"] if changed else []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`yunting demo` once for this module, in a transaction rolled back at its end (as TestCase.setUpTestData)."""
    from yunting.interfaces.cli.demo import demo_logins

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic._from_testcase = True  # the services' durable blocks nest in it as they do in a test's
        atomic.__enter__()
        try:
            call_command("demo", "--quiet", "--password", PASSWORD, stdout=io.StringIO())
            yield [username for username, _name, _role in demo_logins()]
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _sign_in(username: str, *, language: str = "zh-hans") -> Client:
    """Through the real login form, as a person would (the language cookie set first, as the switch sets it)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/login/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    answer = client.post("/login/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302, f"{username} cannot sign in with the demo password"
    return client


def _names() -> tuple[str, ...]:
    """People's, organisations' and cases' names, and the languages' own names: data in the chrome (breadcrumbs,
    the signed-in person), not its words."""
    from yunting.core.cases.models import Case
    from yunting.core.people.models import Organisation, User

    people = [n for u in User.objects.all() for n in (u.real_name, getattr(u, "display_name", "")) if n]
    names = {*people, *Organisation.objects.values_list("name", flat=True), *Case.objects.values_list("number", flat=True),
             *(str(n) for _c, n in settings.LANGUAGES)}
    return tuple(sorted(names, key=len, reverse=True))


PUBLIC = ("/login/", "/accounts/register/", "/verify/", "/sharedcourt/points/", "/api/v1/docs")


def test_every_demo_login_and_the_public_walk_the_platform(demo, db):
    """One walk per demo login (and the anonymous visitor), in Chinese; then each login's first pages in English.

    One test, so the demo is loaded once per run (a worker of its own under -n 2)."""
    assert len(demo) >= 25, demo  # every role of the demo, not a handful
    problems, visited = [], {}
    started = time.process_time()
    names = _names()
    only = os.environ.get("CRAWL_ONLY")  # e.g. CRAWL_ONLY=judge,lawyer while fixing what one login finds
    logins = [u for u in demo if not only or u in only.split(",")]
    from yunting.workflows.broadcasts.models import Broadcast

    live = tuple(f"/live/{t}/" for t in Broadcast.objects.filter(public=True).values_list("public_token", flat=True))
    assert live, "the demo has a public outreach session"
    before = _row_counts()
    anonymous = Crawl(Client(), "anonymous", data=names).run("/", max_pages=40, extra=PUBLIC + live)
    problems += _changed("anonymous", before)
    problems += anonymous.problems
    visited["anonymous"] = len(anonymous.pages)
    answered = {p.url: p.status for p in anonymous.pages}
    assert not (failed := {u: answered.get(u) for u in PUBLIC + live if answered.get(u) != 200}), failed
    for username in logins:
        client = _sign_in(username)
        before = _row_counts()
        crawl = Crawl(client, username).run()
        problems += _changed(username, before)
        problems += crawl.problems
        visited[username] = len(crawl.pages)
        assert sum(1 for p in crawl.pages if p.status == 200) >= 5, f"{username} reaches almost nothing"
        english = Crawl(_sign_in(username, language="en"), f"{username} (en)", data=names).run(max_pages=EN_PAGES)
        problems += english.problems
        assert all(p.status != 200 or "text/html" not in p.ctype or p.lang == "en" for p in english.pages)
    print("pages visited:", visited, "cpu", time.process_time() - started)
    assert not problems, "\n".join(problems)
