"""Threads: a case's asynchronous exchange for one purpose (异步审理, 调解, 案件空间 …).

An Item is immutable once posted (database triggers refuse UPDATE and DELETE); a correction is a new item whose
`refers_to` names the old one. Visibility is `court`, `all` or `party:<party id>`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Thread(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="threads", help_text="Case.")
    purpose = models.CharField(max_length=32, help_text="Which workflow owns it: asynctrial, mediation, casespace…")
    title = models.CharField(max_length=200, blank=True, help_text="Shown above the items.")
    item_count = models.PositiveIntegerField(default=0, help_text="Items so far (the last item's seq).")
    last_item_at = models.DateTimeField(null=True, blank=True, help_text="When the last item was posted.")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="No more items after this.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread")
        constraints = [models.UniqueConstraint(fields=["case", "purpose"], name="thread_case_purpose_unique")]

    def __str__(self):
        return f"{self.case_id}:{self.purpose}"


class Item(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.RESTRICT, related_name="items", help_text="Thread.")
    seq = models.PositiveIntegerField(help_text="1, 2, 3 … within the thread.")
    kind = models.CharField(max_length=20, help_text="evidence, opinion, question, answer, defence, guidance, proposal…")
    visibility = models.CharField(max_length=40, help_text="court | all | party:<party id>.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                               help_text="Who posted it.")
    author_label = models.CharField(max_length=200, help_text="Name and role at the time, for display.")
    author_party = models.ForeignKey("cases.Party", null=True, blank=True, on_delete=models.RESTRICT,
                                     related_name="+", help_text="The party it was posted for (empty: the court).")
    text = models.TextField(help_text="What was said, after the content filter.")
    refers_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.RESTRICT, related_name="replies",
                                  help_text="The item this answers, comments on or corrects.")
    data = models.JSONField(default=dict, help_text="Structured content the workflow defines (positions, purpose…).")
    documents = models.JSONField(default=list, help_text="[{document_id, title, sha256, pages}] from the e-file.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the item's canonical content (in its journal entry).")
    salt = models.CharField(max_length=32, default="", blank=True,
                            help_text="Random salt inside the hash, so a short hidden text cannot be guessed from it.")
    entry = models.ForeignKey("journal.JournalEntry", on_delete=models.RESTRICT, related_name="+",
                              help_text="The journal entry recording the post.")
    created_at = models.DateTimeField(help_text="When posted (UTC).")

    class Meta:
        verbose_name = _("thread item")
        ordering = ["thread", "seq"]
        constraints = [models.UniqueConstraint(fields=["thread", "seq"], name="thread_item_seq_unique")]
        indexes = [models.Index(fields=["thread", "kind"])]

    def __str__(self):
        return f"{self.thread_id}#{self.seq} {self.kind}"

    @property
    def side(self) -> str:
        return f"party:{self.author_party_id}" if self.author_party_id else "court"


class ReadMark(models.Model):
    """How far one person has read a thread: items with a higher seq (not their own) are unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="marks", help_text="Thread.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", help_text="Reader.")
    last_seq = models.PositiveIntegerField(default=0, help_text="Highest seq seen.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_mark_unique")]
        indexes = [models.Index(fields=["user", "thread"])]


class WordRule(models.Model):
    """A court's own entry in the sensitive-word list (the shipped default list applies underneath it)."""

    class Action(models.TextChoices):
        BLOCK = "block", pgettext_lazy("word filter", "Block")
        MASK = "mask", pgettext_lazy("word filter", "Mask")
        ALLOW = "allow", pgettext_lazy("word filter", "Allow")  # lifts a word of the default list for this court

    court = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="word_rules",
                              help_text="Court maintaining the entry.")
    word = models.CharField(max_length=50, help_text="Word or phrase, matched anywhere in a text.")
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.BLOCK, help_text="What happens.")
    active = models.BooleanField(default=True, help_text="Switched off entries are ignored.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text="Court administrator who added it.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sensitive word")
        constraints = [models.UniqueConstraint(fields=["court", "word"], name="wordrule_court_word_unique")]


class Notice(models.Model):
    """An in-app notification about a thread (an invitation, a reminder, a new round)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_notices",
                             help_text="Recipient.")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="notices", help_text="Thread.")
    key = models.CharField(max_length=80, help_text="Idempotency key: one notice per (user, key).")
    text = models.CharField(max_length=500, help_text="What the recipient reads.")
    url = models.CharField(max_length=300, blank=True, help_text="Where to act.")
    read_at = models.DateTimeField(null=True, blank=True, help_text="When opened.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="thread_notice_unique")]
