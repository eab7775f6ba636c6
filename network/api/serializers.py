"""Serializers shared by the API's resources: small nested views of directory objects."""

from rest_framework import serializers

from network.models import Organisation


class OrganisationSummarySerializer(serializers.ModelSerializer):
    """An organisation as others' records name it: no contact details."""

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]
        read_only_fields = fields


def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


def tag_names():
    return serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
