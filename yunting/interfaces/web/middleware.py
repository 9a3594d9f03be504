from django.middleware.locale import LocaleMiddleware


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Simplified Chinese unless the person picked English (the language switch's cookie).

    A browser's Accept-Language is ignored for pages — a court clerk's English-language OS must not turn the
    court's UI English — but honoured for the JSON API, where an integrator asks for English explicitly.
    """

    def process_request(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)
