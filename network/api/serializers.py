"""Serializers shared by the API's resources: small nested views of directory objects."""

from rest_framework import serializers

from network.models import Organisation


class OrganisationSummarySerializer(serializers.ModelSerializer):
    """An organisation as others' records name it: no contact details."""

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]
        read_only_fields = fields


def slugs(many=False):
    """A related object by its slug (a list of slugs for `many`); null when there is none."""
    if many:
        return serializers.SlugRelatedField(slug_field="slug", read_only=True, many=True)
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)


def tag_names():
    return serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)


class _BlankAsNull:
    """A blank optional value is `null` in the API, so its format (uri, email) always holds."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class OptionalURLField(_BlankAsNull, serializers.URLField):
    pass


class OptionalEmailField(_BlankAsNull, serializers.EmailField):
    pass


class PageURLField(serializers.URLField):
    """The object's page in the portal, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", read_only=True, **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value
