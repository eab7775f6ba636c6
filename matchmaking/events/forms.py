from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.forms import DateInput
from matchmaking.events.models import Event, Outcome, Registration, Usefulness
from network.models import Organisation


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"


class EventForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "title", "description", "start_date", "end_date", "place", "online_url",
            "registration_opens", "registration_closes", "access", "requires_approval",
            "languages", "is_published",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "registration_opens": DateTimeInput,
            "registration_closes": DateTimeInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


def _aware(day, at):
    return timezone.make_aware(datetime.combine(day, at))


class SlotForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    start = forms.TimeField(label=_("Starts"), widget=TimeInput)
    end = forms.TimeField(label=_("Ends"), widget=TimeInput)

    def times(self):
        data = self.cleaned_data
        return _aware(data["day"], data["start"]), _aware(data["day"], data["end"])


class SlotsGenerateForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    first_start = forms.TimeField(label=_("First meeting starts"), widget=TimeInput)
    minutes = forms.IntegerField(label=_("Meeting length (minutes)"), min_value=5, max_value=240)
    count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=100)
    break_minutes = forms.IntegerField(
        label=_("Break between meetings (minutes)"), min_value=0, max_value=240, initial=0
    )
    pause_after = forms.IntegerField(
        label=_("A longer break after every (slots)"), min_value=0, max_value=100, initial=0,
        required=False,
    )  # fmt: skip
    pause_minutes = forms.IntegerField(
        label=_("Longer break (minutes)"), min_value=0, max_value=480, initial=0, required=False
    )

    def series(self) -> dict:
        """services.slots_generate's arguments: the first start in local time, an empty
        longer break as none."""
        data = self.cleaned_data
        return {
            "first_start": _aware(data["day"], data["first_start"]),
            "minutes": data["minutes"],
            "count": data["count"],
            "break_minutes": data["break_minutes"],
            "pause_after": data.get("pause_after") or 0,
            "pause_minutes": data.get("pause_minutes") or 0,
        }


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables or rooms"), min_value=1, max_value=500)
    online = forms.BooleanField(label=_("Online rooms"), required=False)


class InvitationForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The organisation's address in the directory (the last part of its link)."),
    )

    def clean_organisation(self) -> Organisation:
        """The organisation behind a directory link, or the link's last part alone."""
        slug = self.cleaned_data["organisation"].strip().rstrip("/").rsplit("/", 1)[-1]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise forms.ValidationError(_("No organisation has this address."))
        return organisation


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["organisation", "offer", "looking_for"]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 4}),
            "looking_for": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None


class RequestForm(forms.Form):
    recipient = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reason = forms.CharField(
        label=_("Reason for declining"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AvailabilityForm(forms.Form):
    unavailable = forms.MultipleChoiceField(
        label=_("Slots I cannot make"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].choices = [
            (str(slot.pk), f"{timezone.localtime(slot.starts_at):%d.%m %H:%M}–"
             f"{timezone.localtime(slot.ends_at):%H:%M}")
            for slot in slots
        ]  # fmt: skip


class MoveForm(forms.Form):
    slot = forms.IntegerField(label=_("Slot"))
    table = forms.IntegerField(label=_("Table"))


class FeedbackForm(forms.Form):
    took_place = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful was it?"),
        choices=[("", "—"), *Usefulness.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    outcome = forms.ChoiceField(label=_("It led to"), choices=Outcome.choices, initial="none")
