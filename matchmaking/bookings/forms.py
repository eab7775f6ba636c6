from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.bookings.models import Booking, Domain

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_FILES = 5
# Documents, spreadsheets, slides, images and plain data, each known by its first bytes.
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".csv": None,
    ".txt": None,
}


class BookingRequestForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Company"), empty_label=None)

    class Meta:
        model = Booking
        fields = [
            "organisation",
            "start",
            "end",
            "what_is_tested",
            "trl",
            "citizens",
            "patients",
            "staff",
            "needs_ethics_approval",
            "needs_data_agreement",
            "message",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "what_is_tested": forms.Textarea(attrs={"rows": 4}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "citizens": _("How many citizens take part."),
            "patients": _("How many patients take part."),
            "staff": _("How many of the site's staff take part."),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The test cannot end before it starts."))
        return data

    def _post_clean(self):
        # The model's checks run in the service (with the site), not here.
        pass


class ProposeForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    answer = forms.CharField(
        label=_("Message to the company"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The test cannot end before it starts."))
        return data


class DeclineForm(forms.Form):
    answer = forms.CharField(
        label=_("Why you decline"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def check_attachment(upload) -> None:
    name = (upload.name or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise forms.ValidationError(
            _("Attach PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV or text files.")
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("%(name)s is too large (at most %(size)d MB).")
            % {"name": upload.name, "size": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    heads = ATTACHMENT_TYPES[suffix]
    head = upload.read(8)
    upload.seek(0)
    if heads is not None and not head.startswith(heads):
        raise forms.ValidationError(
            _("%(name)s is not the kind of file its name says.") % {"name": upload.name}
        )
    if heads is None and b"\x00" in upload.read(4096):
        upload.seek(0)
        raise forms.ValidationError(_("%(name)s is not a text file.") % {"name": upload.name})
    upload.seek(0)


RATINGS = [("", "–")] + [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    """A rating (1 poor – 5 very good) and findings for each MAST domain, and attachments."""

    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {a.domain: a for a in evaluation.answers.all()} if evaluation else {}
        self.domains = []
        for domain, label in Domain.choices:
            answer = existing.get(domain)
            rating = forms.TypedChoiceField(
                label=_("Rating"),
                choices=RATINGS,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(answer.rating) if answer and answer.rating else "",
                help_text=_("1 poor, 5 very good"),
            )
            text = forms.CharField(
                label=_("Findings"),
                required=False,
                max_length=5000,
                initial=answer.text if answer else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"rating_{domain}"] = rating
            self.fields[f"text_{domain}"] = text
            self.domains.append((domain, label))
        self.order_fields([*(f for d, _l in self.domains for f in (f"rating_{d}", f"text_{d}"))])

    def domain_rows(self):
        return [
            (label, self[f"rating_{domain}"], self[f"text_{domain}"])
            for domain, label in self.domains
        ]

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > ATTACHMENT_MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)d files at a time.") % {"count": ATTACHMENT_MAX_FILES}
            )
        for upload in files:
            check_attachment(upload)
        return files

    def answers(self) -> dict:
        data = self.cleaned_data
        return {d: (data.get(f"rating_{d}"), data.get(f"text_{d}", "")) for d, _l in self.domains}


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown to everyone on your company's list of tests."),
    )
