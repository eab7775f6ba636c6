"""{% pagecache "name" part... [ignore="page"] %}...{% endpagecache %}: the enclosed part of a
page, kept until the data under it changes (network/page_cache.py). The key holds the viewer, the
language, the path and query (but for the parameters named in `ignore`, comma-separated); the
parts add what else the content depends on."""

from django import template

from network import page_cache

register = template.Library()


class PageCacheNode(template.Node):
    def __init__(self, nodelist, name, parts, ignore):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.ignore = ignore

    def render(self, context):
        request = context.get("request")
        if request is None or not page_cache.usable():
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        parts = (p.resolve(context) for p in self.parts)
        key = page_cache.fragment_key(request, name, *parts, ignore=self.ignore)
        html = page_cache.get(key, request)
        if html is None:
            with context.push(csrf_token=page_cache.CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            page_cache.put(key, html)
        return page_cache.personalise(html, request)


@register.tag("pagecache")
def do_pagecache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("pagecache needs a name")
    ignore = ()
    parts = []
    for bit in bits[2:]:
        if bit.startswith("ignore="):
            ignore = tuple(bit.removeprefix("ignore=").strip("\"'").split(","))
        else:
            parts.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(nodelist, parser.compile_filter(bits[1]), parts, ignore)
