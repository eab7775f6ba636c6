from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from network import identifiers
from network.joining import rules, services
from network.models import FocusArea, Municipality, Organisation, Region
from network.models.organisations import AffiliationRole, OrganisationKind, ProfileLanguage
from network.models.reference import Country
from network.municipalities import MunicipalityChoiceField


class NumberForm(forms.Form):
    """Step one of registering: which country, and the number the register knows it by."""

    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, initial="DK")
    number = forms.CharField(
        label=_("CVR number or organisation number"),
        max_length=20,
        help_text=_("Denmark: the 8-digit CVR number. Norway: the 9-digit organisasjonsnummer."),
    )

    def clean(self):
        data = super().clean()
        country, number = data.get("country"), data.get("number")
        if country and number:
            error = services.number_error(country, number)
            if error:
                self.add_error("number", error)
            else:
                data["number"] = identifiers.normalise(number)
        return data


class RegistrationForm(NumberForm):
    """Step two: the details, filled from the register when it answered."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[(k, OrganisationKind(k).label) for k in rules.SELF_REGISTERED_KINDS],
        initial=OrganisationKind.SME,
    )
    street = forms.CharField(label=capfirst(_("street address")), max_length=200, required=False)
    postcode = forms.CharField(label=capfirst(_("postcode")), max_length=10, required=False)
    town = forms.CharField(label=capfirst(_("town")), max_length=100, required=False)
    municipality = MunicipalityChoiceField(
        label=capfirst(_("municipality")), queryset=Municipality.objects.all(), required=False
    )
    industry_code = forms.CharField(
        label=capfirst(_("industry code")),
        max_length=10,
        required=False,
        help_text=_("NACE code from the business register (branchekode / næringskode)."),
    )
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")
    language = forms.ChoiceField(
        label=capfirst(_("language of the profile")), choices=ProfileLanguage.choices, initial="da"
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=capfirst(_("focus areas")),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Matching uses them to find partners; you can change them later."),
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("You can write more on the profile afterwards."),
    )

    def clean(self):
        data = super().clean()
        municipality = data.get("municipality")
        if municipality and data.get("country") and municipality.country != data["country"]:
            self.add_error("municipality", _("The municipality is not in the chosen country."))
        return data

    def registration(self) -> services.Registration:
        data = self.cleaned_data
        return services.Registration(
            country=data["country"],
            number=data["number"],
            name=data["name"],
            kind=data["kind"],
            street=data["street"],
            postcode=data["postcode"],
            town=data["town"],
            municipality=data["municipality"],
            industry_code=data["industry_code"],
            website=data["website"],
            description=data["description"],
            language=data["language"],
            focus_areas=list(data["focus_areas"]),
        )


class JoinSearchForm(forms.Form):
    # Required only for its label: the page reads the text itself and lists nothing for none.
    q = forms.CharField(label=_("Name or CVR number / organisation number"), max_length=100)


class MunicipalityForm(forms.Form):
    """A public body from the reference data: a municipality, or a region (county)."""

    municipality = MunicipalityChoiceField(
        label=_("Your municipality"),
        queryset=Municipality.objects.order_by("country", "name"),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("or your region (Norway: county)"),
        queryset=Region.objects.order_by("country", "name"),
        required=False,
    )
    message = forms.CharField(
        label=_("Your department and job"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Helps the staff who approve your request, e.g. 'Ældreområdet, projektleder'."),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("municipality")) == bool(data.get("region")):
            raise forms.ValidationError(_("Choose either your municipality or your region."))
        return data

    def organisation(self) -> Organisation:
        if self.cleaned_data["municipality"]:
            return services.municipality_organisation(self.cleaned_data["municipality"])
        return services.region_organisation(self.cleaned_data["region"])


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you do there, so they recognise you."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=AffiliationRole.choices, initial=AffiliationRole.MEMBER
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the person who asked)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=AffiliationRole.choices, initial=AffiliationRole.MEMBER
    )
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationSignupForm(forms.Form):
    """Accepting an invitation without an account: the address is the invited one."""

    first_name = forms.CharField(label=capfirst(_("first name")), max_length=100)
    last_name = forms.CharField(label=capfirst(_("last name")), max_length=100, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import password_validation

        from network.models import User

        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(
                    data["password1"],
                    User(email=self.email, first_name=data.get("first_name", "")),
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


def organisations_to_join(text: str):
    """Organisations a newcomer may ask to join: listed ones by name, any by its number."""
    text = (text or "").strip()
    if len(text) < 2:
        return Organisation.objects.none()
    number = identifiers.normalise(text)
    if number.isdigit() and len(number) in (8, 9):
        # By its number, even an unlisted or new profile: who knows the number works there.
        return Organisation.objects.filter(models.Q(cvr=number) | models.Q(orgnr=number))
    return Organisation.objects.public().filter(name__icontains=text).order_by("name")
