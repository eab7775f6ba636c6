from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters import imports
from clusters.models import Cluster, Membership, MembershipStatus, MembershipTier
from clusters.services.import_corrections import columns_of
from clusters.services.importing import MAX_UPLOAD_BYTES
from clusters.transitions import BULK_ACTIONS, TRANSITIONS
from network.models import FocusArea, Person, Region

LOGO_MAX_BYTES = 1024 * 1024

MAX_MOTIVATION = 1500
MAX_REASON = 2000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


# --- Organisation side ------------------------------------------------------------------------
class ApplyForm(forms.Form):
    clusters = forms.ModelMultipleChoiceField(
        queryset=Cluster.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Clusters"),
        help_text=_("Apply to one or more clusters at once."),
        error_messages={"required": _("Choose at least one cluster.")},
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        help_text=_("A few lines for the cluster's staff: what you do and what you hope for."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_MOTIVATION,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Membership.objects.filter(
            organisation=organisation,
            status__in=[MembershipStatus.APPLIED, MembershipStatus.ACTIVE],
        ).values("cluster_id")
        self.fields["clusters"].queryset = (
            Cluster.objects.exclude(pk__in=taken)
            .select_related("network")
            .order_by("country", "name")
        )


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]


# --- Staff side -------------------------------------------------------------------------------
class ApproveForm(forms.Form):
    tier = forms.ModelChoiceField(
        queryset=MembershipTier.objects.none(), label=_("Tier"), required=False
    )
    period_start = forms.DateField(label=_("Membership starts"), widget=DateInput())

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = MembershipTier.objects.filter(cluster_id=membership.cluster_id)
        self.fields["tier"].queryset = tiers
        self.fields["tier"].required = tiers.exists()
        self.fields["tier"].initial = membership.tier_id or (
            tiers.values_list("pk", flat=True).first()
        )
        self.fields["period_start"].initial = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        help_text=_("The organisation sees this in the email it receives."),
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class ContactEmailsForm(forms.Form):
    """Staff stop or resume emails to the contact's address, at the person's request."""

    action = forms.ChoiceField(choices=[("stop", "stop"), ("resume", "resume")])
    note = forms.CharField(
        label=_("How did the person ask?"),
        max_length=500,
        help_text=_("For example: asked by phone on 3 March. Kept in the log below."),
    )


class MembershipForm(forms.ModelForm):
    """Tier, fee, period and contact. The status changes only through the action buttons."""

    class Meta:
        model = Membership
        fields = ["tier", "annual_fee", "period_start", "period_end", "primary_contact"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.instance
        self.fields["tier"].queryset = MembershipTier.objects.filter(
            cluster_id=membership.cluster_id
        )
        self.fields["primary_contact"].queryset = Person.objects.filter(
            affiliations__organisation_id=membership.organisation_id
        ).order_by("first_name", "last_name")
        self.fields["annual_fee"].help_text = _(
            "Leave empty to use the tier's fee at the next renewal."
        )

    def clean(self):
        data = super().clean()
        tier = data.get("tier")
        if tier is not None and data.get("annual_fee") is None:
            data["annual_fee"] = tier.annual_fee
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("With the selected members"),
        choices=[(a.value, TRANSITIONS[a].label) for a in BULK_ACTIONS],
    )
    selected = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Select at least one member.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any ids may be posted; the view keeps only those of the cluster's memberships.
        self.fields["selected"].choices = [
            (value, value) for value in (self.data.getlist("selected") if self.data else [])
        ]

    def clean_selected(self):
        ids = self.cleaned_data["selected"]
        if len(ids) > 500:
            raise forms.ValidationError(_("Select at most 500 members at a time."))
        return ids


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_(
            "An .xlsx or .csv file whose first row names the columns: CVR/orgnr, name, kind, "
            "municipality, contact, contact email, contact phone, tier, start date."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)d MB).")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class ImportRowForm(forms.Form):
    """One row of an import, as staff correct it in the preview: a text field per column the
    upload had. The import's own checks decide whether the row is right (the service)."""

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, initial=dict(row.raw), **kwargs)
        self.auto_id = f"row-{row.pk}-%s"
        for name in columns_of(row):
            self.fields[name] = forms.CharField(
                label=imports.FIELD_LABELS[name],
                required=False,
                strip=False,
                max_length=imports.MAX_CELL_CHARS,
            )
            # Not "optional": the import says when a required value is missing.
            self.fields[name].conditionally_required = name in imports.REQUIRED_COLUMNS


class ClusterForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Cluster
        fields = [
            "description",
            "website",
            "email",
            "logo",
            "grace_days",
            "regions",
            "focus_areas",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.filter(country=self.instance.country)
        self.fields["regions"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["regions"].choices
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.all()
        self.fields["focus_areas"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["focus_areas"].choices
        )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            head = logo.read(12)
            logo.seek(0)
            is_image = head.startswith((b"\x89PNG", b"\xff\xd8\xff")) or (
                head[:4] == b"RIFF" and head[8:12] == b"WEBP"
            )
            if not is_image:
                raise forms.ValidationError(_("Upload the logo as PNG, JPEG or WebP."))
            if logo.size > LOGO_MAX_BYTES:
                raise forms.ValidationError(_("The logo may be at most 1 MB."))
        return logo


class TierForm(forms.ModelForm):
    class Meta:
        model = MembershipTier
        fields = ["name", "annual_fee", "currency", "position"]

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cluster = cluster
        self.fields["currency"].widget.attrs["maxlength"] = 3

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = MembershipTier.objects.filter(
            cluster=self.instance.cluster, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The cluster already has a tier with this name."))
        return name

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def clean_annual_fee(self):
        fee = self.cleaned_data["annual_fee"]
        if fee is not None and fee < 0:
            raise forms.ValidationError(_("The fee cannot be negative."))
        return fee
