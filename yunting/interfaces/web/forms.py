"""GET filter forms: parse and validate query parameters; a bad value is dropped, never an error page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yunting.core.cases.choices import CaseStatus


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices])
    type = forms.CharField(label=_("Case type"), required=False, max_length=8)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=9999)

    def filters(self) -> dict:
        self.is_valid()  # keeps the valid fields in cleaned_data even when another one is bad
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "status": data.get("status", ""),
            "type_code": data.get("type", ""),
            "year": data.get("year"),
        }


class EfileSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the e-file"), required=False, max_length=100)

    def query(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("q", "")


class ReadLogFilterForm(forms.Form):
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    case_id = forms.IntegerField(label=_("Case ID"), required=False, min_value=1)
    action = forms.CharField(label=_("Action"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
