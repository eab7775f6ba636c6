from django import forms
from django.utils.translation import gettext_lazy as _

from network import hooks
from network.models import (
    FocusArea,
    KnowledgeOffer,
    Municipality,
    Organisation,
    Person,
    Tag,
    TestSite,
)
from network.models.organisations import OrganisationKind
from network.municipalities import MunicipalityChoiceField
from network.slugs import slugify

MAX_TAGS = 20


class TagsField(forms.CharField):
    """Comma-separated keywords, e.g. 'fall detection, sensors, dementia'."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("help_text", _("Comma-separated keywords, e.g. fall detection, sensors."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        names = []
        for raw in (value or "").split(","):
            name = " ".join(raw.split())[:80]
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                _("Use at most %(max)d tags."), params={"max": MAX_TAGS}, code="too_many"
            )
        if any(not slugify(name) for name in names):
            raise forms.ValidationError(_("A tag needs at least one letter or digit."))
        return names


def tags_as_text(instance) -> str:
    if not instance.pk:
        return ""
    return ", ".join(tag.name for tag in instance.tags.all())


class TaggedForm(forms.ModelForm):
    tag_names = TagsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag_names"].initial = tags_as_text(self.instance)
        if "focus_areas" in self.fields:
            self.fields["focus_areas"].queryset = FocusArea.objects.all()
            self.fields["focus_areas"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["focus_areas"].choices
            )
        if "municipality" in self.fields:
            # Shows the Sami and Kven names too, and takes a number or any official name.
            field = self.fields["municipality"]
            self.fields["municipality"] = MunicipalityChoiceField(
                queryset=Municipality.objects.select_related("region"),
                required=field.required,
                label=field.label,
                help_text=field.help_text,
            )


class OrganisationForm(TaggedForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "country",
            "cvr",
            "orgnr",
            "description",
            "language",
            "website",
            "email",
            "phone",
            "street",
            "postcode",
            "town",
            "municipality",
            "industry_code",
            "focus_areas",
            "readiness_level",
            "employees",
            "founded",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    # What only a company has: a solution's readiness level, a head count, a founding year.
    COMPANY_ONLY_FIELDS = ("readiness_level", "employees", "founded")
    COMPANY_KINDS = {OrganisationKind.SME, OrganisationKind.LARGE_COMPANY}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.kind not in self.COMPANY_KINDS:
            for name in self.COMPANY_ONLY_FIELDS:
                self.fields.pop(name, None)


class TestSiteForm(TaggedForm):
    class Meta:
        model = TestSite
        fields = [
            "name",
            "site_type",
            "description",
            "capabilities",
            "capacity",
            # tests_running: the capacity calendar's (test bookings) count, not typed in.
            "available_from",
            "available_until",
            "trl_min",
            "trl_max",
            "municipality",
            "focus_areas",
            "language",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "capabilities": forms.Textarea(attrs={"rows": 3}),
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            # What apps above have promised on the site's behalf (accepted test periods).
            errors = hooks.site_commitment_errors(
                self.instance.pk,
                capacity=data.get("capacity"),
                available_from=data.get("available_from"),
                available_until=data.get("available_until"),
            )
            for field, message in errors.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return data


class KnowledgeOfferForm(TaggedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.instance.owner if self.instance.owner_id else None
        contacts = self.fields["contact"].queryset
        self.fields["contact"].queryset = (
            contacts.filter(affiliations__organisation=owner) if owner else contacts.none()
        )

    class Meta:
        model = KnowledgeOffer
        fields = [
            "title",
            "method",
            "competence",
            "description",
            "contact",
            "trl_min",
            "trl_max",
            "focus_areas",
            "language",
            "is_public",
        ]
        widgets = {
            "competence": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


def get_or_create_tags(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        slug = slugify(name)[:90]
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    return tags


class PrivacySettingsForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "phone",
            "directory_consent",
            "contact_public",
        ]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased for good."),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
