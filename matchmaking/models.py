"""Needs posted by municipalities, hospitals and regions; matches and the runs that make them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from matchmaking.querysets import MatchQuerySet, MatchRunQuerySet, NeedQuerySet
from network.models import FocusArea, Municipality, Organisation, Region, Tag
from network.models.moderation import Reviewed
from network.models.organisations import OrganisationKind, ProfileLanguage

TRL = [MinValueValidator(1), MaxValueValidator(9)]

# Who may post needs: the public bodies that have challenges and places to test solutions.
NEED_OWNER_KINDS = {
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.HOSPITAL,
    OrganisationKind.REGION,
}


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class NeedVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone, also without signing in")
    NETWORK = "network", _("Signed-in members of the network")
    PRIVATE = "private", _("Only our organisation and the network's administrators")


class Need(Reviewed):
    """A challenge a municipality, hospital or region wants solved, and how it could be tested."""

    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="needs", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("the challenge"), help_text=_("What is the problem, for whom, and why now?")
    )
    test_setting = models.TextField(
        _("what a test would involve"),
        blank=True,
        help_text=_("Where and with whom a solution could be tried out: ward, homes, staff."),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="needs", verbose_name=_("focus areas")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="needs", verbose_name=_("tags"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("region"),
        help_text=_("Filled in from the municipality when one is chosen."),
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Last day to respond.")
    )
    trl_min = models.PositiveSmallIntegerField(
        _("lowest readiness level"), default=1, validators=TRL
    )
    trl_max = models.PositiveSmallIntegerField(
        _("highest readiness level"), default=9, validators=TRL
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ProfileLanguage.choices, default=ProfileLanguage.DANISH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.DRAFT
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=10,
        choices=NeedVisibility.choices,
        default=NeedVisibility.PUBLIC,
    )
    reference = models.CharField(
        _("your reference"),
        max_length=40,
        blank=True,
        help_text=_("Optional, e.g. the case number in your own records."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Merged by the network's staff into the need it turned out to be (matchmaking.sharing):
    # this row stays, closed, with its own history; its matches, shares and owner moved over.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_needs",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    # Apply at once, without review (network/moderation.py).
    unreviewed_fields = ("visibility", "deadline", "reference")

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.CheckConstraint(condition=Q(trl_min__lte=F("trl_max")), name="need_trl_range"),
            models.UniqueConstraint(
                fields=["owner", "reference"],
                condition=~Q(reference=""),
                name="need_unique_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.municipality_id:
            self.region_id = self.municipality.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("matchmaking:need_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == NeedStatus.OPEN

    def days_left(self, today=None) -> int | None:
        if not self.deadline:
            return None
        return (self.deadline - (today or timezone.localdate())).days

    def publish_problem(self, today=None) -> str | None:
        """Why the need cannot be published (or sent for review) as it is, or None.

        Asked by network.moderation before an item goes out; a draft may keep any deadline."""
        if self.merged_into_id:
            return str(MERGED)
        if self.deadline and self.days_left(today) < 0:
            return str(DEADLINE_PASSED)
        return None

    def clean(self):
        errors = {}
        if self.owner_id and self.owner.kind not in NEED_OWNER_KINDS:
            errors["owner"] = _("Needs are posted by municipalities, hospitals and regions.")
        if self.trl_min and self.trl_max and self.trl_min > self.trl_max:
            errors["trl_max"] = _("The highest readiness level cannot be below the lowest.")
        if (
            self.municipality_id
            and self.owner_id
            and self.municipality.country != self.owner.country
        ):
            errors["municipality"] = _("The municipality is not in the owner's country.")
        if errors:
            raise ValidationError(errors)


MERGED = _("This need was merged into another and stays closed; the other need carries it on.")
DEADLINE_PASSED = _(
    "The deadline has passed. Choose a later deadline to publish the need, or save it as a draft."
)


class MatchCriteria(models.Model):
    """The weights of the score's components and how many matches to keep; one row, edited by
    network admins. Every run copies what it used."""

    key = models.CharField(max_length=20, unique=True, default="default", editable=False)
    weight_focus = models.FloatField(
        _("focus areas in common"), default=0.05, validators=[MinValueValidator(0)]
    )
    weight_tags = models.FloatField(
        _("tags in common"), default=0.10, validators=[MinValueValidator(0)]
    )
    weight_text = models.FloatField(
        _("similar descriptions"), default=0.80, validators=[MinValueValidator(0)]
    )
    weight_geography = models.FloatField(
        _("close to each other"), default=0.02, validators=[MinValueValidator(0)]
    )
    weight_readiness = models.FloatField(
        _("readiness level fits"), default=0.05, validators=[MinValueValidator(0)]
    )
    weight_availability = models.FloatField(
        _("available now"), default=0.05, validators=[MinValueValidator(0)]
    )
    weight_feedback = models.FloatField(
        _("past feedback"), default=0.10, validators=[MinValueValidator(0)]
    )
    top_k = models.PositiveSmallIntegerField(
        _("matches kept per company and per target"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    min_score = models.FloatField(
        _("lowest score kept"),
        default=0.2,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    WEIGHT_FIELDS = {
        "focus": "weight_focus",
        "tags": "weight_tags",
        "text": "weight_text",
        "geography": "weight_geography",
        "readiness": "weight_readiness",
        "availability": "weight_availability",
        "feedback": "weight_feedback",
    }

    class Meta:
        verbose_name = _("match criteria")
        verbose_name_plural = _("match criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__gte=0, min_score__lte=1), name="matchcriteria_min_score"
            ),
        ]

    def __str__(self):
        return str(_("Match criteria"))

    @classmethod
    def current(cls) -> "MatchCriteria":
        criteria, _created = cls.objects.get_or_create(key="default")
        return criteria

    def weights(self) -> dict:
        return {name: getattr(self, field) for name, field in self.WEIGHT_FIELDS.items()}

    def clean(self):
        if sum(self.weights().values()) <= 0:
            raise ValidationError(_("At least one weight must be above zero."))


class RunKind(models.TextChoices):
    FULL = "full", _("Full run")
    INCREMENTAL = "incremental", _("Incremental run")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class RunTrigger(models.TextChoices):
    ADMIN = "admin", _("Started by an admin")
    SCHEDULE = "schedule", _("Nightly schedule")
    CHANGE = "change", _("A profile, need or test site changed")
    FOLLOW_UP = "follow_up", _("Changes made during a full run")
    DEMO = "demo", _("Demo data")
    COMMAND = "command", _("Command line")


class RunPhase(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    LOADING = "loading", _("Reading profiles")
    SCORING = "scoring", _("Scoring pairs")
    EXPLAINING = "explaining", _("Writing the reasons")
    WRITING = "writing", _("Saving matches")
    DONE = "done", _("Done")


class MatchRun(models.Model):
    """One computation of matches: what it used (weights, code) and what it did.

    While active, `phase` and `progress` (0-100) move for pages that poll: loading (to 10),
    scoring (to 70), writing (85-99), done (100); `heartbeat_at` moves with them, and a running
    run without a heartbeat for five minutes is taken over (matchmaking.runner.Reporter).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=RunKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=RunTrigger.choices)
    phase = models.CharField(
        _("phase"), max_length=12, choices=RunPhase.choices, default=RunPhase.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(
        _("changed documents"), default=list, blank=True, help_text="[[type, id], ...]"
    )
    weights = models.JSONField(_("weights used"), default=dict, blank=True)
    top_k = models.PositiveSmallIntegerField(_("kept per company and target"), default=25)
    min_score = models.FloatField(_("lowest score kept"), default=0.2)
    code_version = models.CharField(_("code version"), max_length=40, blank=True)
    sources_count = models.PositiveIntegerField(_("companies"), default=0)
    targets_count = models.PositiveIntegerField(_("targets"), default=0)
    pairs_scored = models.PositiveBigIntegerField(_("pairs scored"), default=0)
    matches_written = models.PositiveIntegerField(_("matches written"), default=0)
    matches_removed = models.PositiveIntegerField(_("matches removed"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="matchrun_progress_0_100"),
        ]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("matchmaking:run_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class TargetType(models.TextChoices):
    NEED = "need", _("Need")
    TEST_SITE = "test_site", _("Test site")
    KNOWLEDGE_OFFER = "knowledge_offer", _("Knowledge offer")


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    REQUESTED = "requested", _("Introduction requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INTRODUCED = "introduced", _("Introduced")
    PROJECT_STARTED = "project_started", _("Project started")


class Match(models.Model):
    """An SME (source) and a need, test site or knowledge offer (target) that fit, with why.

    Keyed by (source, target type, target id): runs upsert, so a re-run updates rather than
    duplicates. Recomputation never touches `status`; matches someone acted on are kept even
    when they drop out of the lists. If the target is deleted its link turns NULL and the next
    run removes the row (or keeps it, if someone acted on it).
    """

    source = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("company"),
        db_index=False,  # the unique (source, target) index serves
    )
    target_type = models.CharField(_("target type"), max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("target id"))
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    test_site = models.ForeignKey(
        "network.TestSite",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    knowledge_offer = models.ForeignKey(
        "network.KnowledgeOffer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    target_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # filtered only within one company's or target's matches
    )
    score = models.FloatField(_("score"))
    components = models.JSONField(_("components"), default=dict)
    reasons = models.JSONField(_("reasons"), default=dict)
    in_source_top = models.BooleanField(default=False)
    in_target_top = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "target_type", "target_id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_type", "target_id"], name="match_unique_pair"
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="match_score_0_1"),
            models.CheckConstraint(
                condition=(
                    Q(
                        target_type="need",
                        test_site__isnull=True,
                        knowledge_offer__isnull=True,
                    )
                    & (Q(need__isnull=True) | Q(need=F("target_id")))
                )
                | (
                    Q(target_type="test_site", need__isnull=True, knowledge_offer__isnull=True)
                    & (Q(test_site__isnull=True) | Q(test_site=F("target_id")))
                )
                | (
                    Q(target_type="knowledge_offer", need__isnull=True, test_site__isnull=True)
                    & (Q(knowledge_offer__isnull=True) | Q(knowledge_offer=F("target_id")))
                ),
                name="match_target_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "-score"], name="match_source_score"),
            models.Index(fields=["target_type", "target_id", "-score"], name="match_target_score"),
            # Incremental runs read the lowest score of every list (index-only scans).
            models.Index(
                fields=["target_type", "target_id", "score"],
                condition=Q(in_target_top=True),
                name="match_target_top",
            ),
            models.Index(
                fields=["source", "score"], condition=Q(in_source_top=True), name="match_source_top"
            ),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_type}:{self.target_id} ({self.score:.2f})"

    @property
    def target(self):
        return {
            TargetType.NEED: self.need,
            TargetType.TEST_SITE: self.test_site,
            TargetType.KNOWLEDGE_OFFER: self.knowledge_offer,
        }.get(self.target_type)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


from matchmaking.models_introductions import (  # noqa: E402, F401
    Feedback,
    Introduction,
    ShortlistEntry,
)
from matchmaking.models_sharing import NeedShare  # noqa: E402, F401
