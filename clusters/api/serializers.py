"""Clusters and memberships as the API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.models import Cluster, Membership
from network.api.serializers import OptionalEmailField, OptionalURLField, slugs, tag_names
from network.models import Organisation, Person


class ClusterSerializer(serializers.ModelSerializer):
    regions = slugs(many=True)
    focus_areas = slugs(many=True)
    member_count = serializers.IntegerField(read_only=True)

    website = OptionalURLField()
    email = OptionalEmailField()

    class Meta:
        model = Cluster
        fields = [
            "slug",
            "name",
            "short_name",
            "country",
            "description",
            "website",
            "email",
            "regions",
            "focus_areas",
            "member_count",
        ]
        read_only_fields = fields


class MemberOrganisationSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(read_only=True)
    municipality = slugs()
    region = slugs()
    focus_areas = slugs(many=True)
    tags = tag_names()

    website = OptionalURLField()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "registry_number",
            "website",
            "town",
            "municipality",
            "region",
            "focus_areas",
            "tags",
        ]
        read_only_fields = fields


class PrimaryContactSerializer(serializers.ModelSerializer):
    """Name and role; email and phone only when the person made them public."""

    name = serializers.CharField(source="full_name", read_only=True)
    role = serializers.CharField(source="job_title", read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["name", "role", "email", "phone"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_email(self, person):
        return person.email or None if person.contact_public else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, person):
        return person.phone or None if person.contact_public else None


class MembershipSerializer(serializers.ModelSerializer):
    organisation = MemberOrganisationSerializer(read_only=True)
    tier = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    primary_contact = PrimaryContactSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "organisation",
            "status",
            "tier",
            "period_start",
            "period_end",
            "primary_contact",
            "status_changed_at",
        ]
        read_only_fields = fields
