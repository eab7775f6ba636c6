from django import forms, template

register = template.Library()


@register.filter
def add_class(bound_field, css_class):
    attrs = dict(bound_field.field.widget.attrs)
    attrs["class"] = f"{attrs.get('class', '')} {css_class}".strip()
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_hint"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_multi_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple)


@register.filter
def is_select(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.Select)


@register.filter
def undo_url(message) -> str:
    """The URL a message's "Fortryd" button posts to (network.confirm.undo_tag), or ""."""
    from network.confirm import undo_url as carried

    return carried(getattr(message, "extra_tags", ""))
