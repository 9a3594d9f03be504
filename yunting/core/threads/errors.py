"""Thread errors: stable codes; messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound     thread_item_not_found (also an item the caller may not see)
├── ValidationFailed  thread_visibility, thread_text, thread_refers_to
├── Conflict     thread_closed
└── SensitiveWords (422) sensitive_words — nothing was stored
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ApplicationError, NotFound


class ItemNotFound(NotFound):
    default_code = "thread_item_not_found"

    def __init__(self):
        super().__init__(_("The item does not exist or you may not see it."), code=self.default_code)


class SensitiveWords(ApplicationError):
    http_status = 422
    default_code = "sensitive_words"

    def __init__(self, words: list[str], field: str = "text"):
        shown = "、".join(words[:5])
        super().__init__(
            _("The text contains words that are not allowed here (%(words)s). Please say it without them; "
              "nothing was posted.") % {"words": shown},
            code=self.default_code, data={"words": words, "field": field})
