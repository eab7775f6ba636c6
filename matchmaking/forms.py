from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import DEADLINE_PASSED, MatchCriteria, Need, NeedStatus
from matchmaking.models_introductions import VetoReason
from matchmaking.models_sharing import NeedShare
from network.forms import TaggedForm
from network.models import Person, Region


class NeedForm(TaggedForm):
    """A need's fields. `owners` are the organisations the user may post for; with only one,
    the choice is not shown."""

    class Meta:
        model = Need
        fields = [
            "owner",
            "title",
            "description",
            "test_setting",
            "focus_areas",
            "municipality",
            "region",
            "deadline",
            "trl_min",
            "trl_max",
            "language",
            "visibility",
            "reference",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "test_setting": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, owners=None, publishing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Publishing (or sending for review) refuses a deadline in the past; a draft keeps it.
        self.publishing = publishing
        self.fields["tag_names"].help_text = _(
            "Comma-separated keywords, e.g. fall detection, night-time sensors."
        )
        owner_field = self.fields["owner"]
        if self.instance.pk:
            # A need stays with the organisation that posted it.
            del self.fields["owner"]
        else:
            owner_field.queryset = owners
            owner_field.empty_label = None
            owner_field.label = _("Posted by")
            if owners is not None and len(owners) == 1:
                owner_field.initial = owners[0].pk
                owner_field.widget = forms.HiddenInput()
        self.fields["region"].queryset = Region.objects.all()
        self.fields["region"].help_text = _(
            "For a need of the whole region; filled in from the municipality when one is chosen."
        )
        self.order_fields(
            [
                "owner",
                "title",
                "description",
                "test_setting",
                "focus_areas",
                "tag_names",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        region = cleaned.get("region")
        if municipality and region and municipality.region_id != region.pk:
            self.add_error("region", _("The municipality is not in this region."))
        self._check_deadline(cleaned.get("deadline"))
        return cleaned

    def _check_deadline(self, deadline) -> None:
        """A need going out, or an open one given a new deadline, needs a date not yet past."""
        moved = self.instance.status == NeedStatus.OPEN and "deadline" in self.changed_data
        if deadline and (self.publishing or moved) and deadline < timezone.localdate():
            self.add_error("deadline", DEADLINE_PASSED)


class MatchCriteriaForm(forms.ModelForm):
    class Meta:
        model = MatchCriteria
        fields = [
            "weight_focus",
            "weight_tags",
            "weight_text",
            "weight_geography",
            "weight_readiness",
            "weight_availability",
            "weight_feedback",
            "top_k",
            "min_score",
        ]
        widgets = {
            name: forms.NumberInput(attrs={"step": "0.01", "min": "0"})
            for name in fields
            if name.startswith("weight_")
        } | {"min_score": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"})}
        help_texts = {
            "min_score": _("Between 0 and 1. Pairs scoring lower are not kept."),
            "top_k": _("Between 1 and 200."),
        }


class VetoForm(forms.Form):
    """Why a match is not relevant: one of a short list, and in words (needed for "other")."""

    reason_code = forms.ChoiceField(
        label=_("Why is it not relevant?"),
        choices=VetoReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    reason = forms.CharField(
        label=_("In your own words"),
        help_text=_("Needed for “Other”. Only your organisation and the network's staff see it."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason.conditionally_required = True

    def clean(self):
        data = super().clean()
        if data.get("reason_code") == VetoReason.OTHER and not data.get("reason", "").strip():
            self.add_error("reason", _("Please say why in a few words."))
        return data


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "A few lines on what you would like to try out with the company and why them. Your "
            "contact details are shared only if the company accepts."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    include_joined = forms.BooleanField(
        label=_("Include the organisations that share this need"),
        help_text=_("They follow the introduction and hear of each step."),
        required=False,
        initial=True,
    )


class NeedShareForm(forms.ModelForm):
    """An organisation's part of a shared need: its scale, contact person and note (when it
    joins the need, and when it changes them). `organisations`: whose people may be the
    contact."""

    class Meta:
        model = NeedShare
        fields = list(NeedShare.PART_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = (
            Person.objects.filter(affiliations__organisation__in=organisations)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["contact"].help_text = _(
            "Shown to the need's owner and the others who joined it."
        )
        # The budget's range is checked by NeedShare.clean(), which a ModelForm runs.

    def part(self) -> dict:
        """The cleaned part, as matchmaking.sharing's services take it."""
        return {name: self.cleaned_data[name] for name in NeedShare.PART_FIELDS}


class NeedJoinForm(NeedShareForm):
    """Joining a need ("we have this need too"): for which organisation, and its part."""

    class Meta(NeedShareForm.Meta):
        fields = ["organisation", *NeedShare.PART_FIELDS]

    def __init__(self, *args, organisations, chosen=None, searching=False, **kwargs):
        """`searching`: the organisations are too many to list (a network admin may join for
        any), so the page searches for one and the form only carries the `chosen` one; its
        people are the contacts offered."""
        organisations_with_contacts = ([chosen] if chosen else []) if searching else organisations
        super().__init__(*args, organisations=organisations_with_contacts, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        field.empty_label = None
        field.label = _("We have this need too, as")
        if searching:
            field.widget = forms.HiddenInput()
            field.error_messages["required"] = field.error_messages["invalid_choice"] = _(
                "Search for the organisation that joins the need and choose it."
            )


class NeedMergeForm(forms.Form):
    other = forms.IntegerField(
        label=_("Number of the need to merge into this one"),
        help_text=_(
            "The number in the other need's address. It is closed and points here; its owner, "
            "the organisations that joined it and its matches come over to this need."
        ),
        min_value=1,
    )

    def clean_other(self):
        need = Need.objects.filter(pk=self.cleaned_data["other"]).select_related("owner").first()
        if need is None:
            raise forms.ValidationError(_("There is no need with this number."))
        return need
