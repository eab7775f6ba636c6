from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from network.models import FocusArea, Organisation
from projects.models import (
    Activity,
    ActivityParticipant,
    Budget,
    Contribution,
    Project,
    ProjectPartner,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _organisations():
    return Organisation.objects.order_by("name")


class ProjectForm(forms.ModelForm):
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=FocusArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Focus areas"),
    )

    class Meta:
        model = Project
        fields = ["title", "description", "lead_cluster", "status", "start", "end", "outcome"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_cluster"].queryset = clusters
        if self.instance.pk:
            self.fields["focus_areas"].initial = list(self.instance.focus_areas.all())


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ProjectPartner
        fields = ["organisation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if ProjectPartner.objects.filter(
            project_id=self.instance.project_id, organisation=organisation
        ).exists():
            raise forms.ValidationError(_("This organisation is already a partner."))
        return organisation


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "kind", "date", "cluster", "project", "description"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, clusters, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["project"].queryset = projects


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = ActivityParticipant
        fields = ["organisation", "kind", "people"]
        help_texts = {
            "kind": _("For a head count without an organisation (e.g. 12 citizens)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()
        self.fields["kind"].required = False

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if organisation:
            data["kind"] = organisation.kind
            self.instance.kind = organisation.kind
            if (
                ActivityParticipant.objects.filter(
                    activity_id=self.instance.activity_id, organisation=organisation
                )
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error("organisation", _("This organisation is already listed."))
        elif not data.get("kind"):
            self.add_error("kind", _("Choose an organisation or the kind of participants."))
        return data


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = [
            "organisation",
            "date",
            "hours",
            "hourly_rate",
            "cash",
            "currency",
            "funding_source",
            "note",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BudgetForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["funding_source", "period_start", "period_end", "amount", "currency", "note"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("Cluster"),
        empty_label=_("The whole network"),
    )

    def __init__(self, *args, clusters, whole_network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        if not whole_network:
            self.fields["cluster"].required = True
            self.fields["cluster"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: organisation (name, CVR or organisation number), kind, people. "
            "Separated by semicolons or commas, UTF-8."
        ),
    )
