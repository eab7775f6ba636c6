from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.models_introductions import FeedbackKind, MeetingOutcome, VetoReason


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "A few lines on who you are, what you would like to test or learn, and why them. "
            "Your contact details are shared only if they accept."
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


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not?"),
        help_text=_("The company sees your reason, so it can ask better next time."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MeetingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the meeting go?"),
        choices=[("", _("Rather not say")), *MeetingOutcome.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything else?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MatchFeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Was this match useful?"),
        choices=[
            (FeedbackKind.USEFUL, _("Useful")),
            (FeedbackKind.NOT_RELEVANT, _("Not relevant")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why?"),
        help_text=_("Needed when it is not relevant; it helps us suggest better matches."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    reason_code = forms.ChoiceField(
        label=_("Why is it not relevant?"),
        choices=VetoReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    # Required for "not relevant" (see clean), so the label must not say "optional".
    reason.conditionally_required = True

    def clean(self):
        data = super().clean()
        if data.get("kind") != FeedbackKind.NOT_RELEVANT:
            return data
        text = data.get("reason", "").strip()
        code = data.get("reason_code", "")
        if not text and (not code or code == VetoReason.OTHER):
            self.add_error("reason", _("Please tell us why it is not relevant."))
        return data


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *choices]
