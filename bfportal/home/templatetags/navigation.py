from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("home/main_menu.html", takes_context=True)
def main_menu(context):
    """The site root and its live, public children that are set to show in menus, in tree
    order. Pages behind a login or password stay out: their titles are private too.

    A link is marked current when the page being viewed is that page or below it.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"links": []}
    root = site.root_page
    current = context.get("page")
    current_path = current.path if current else None
    links = [{"page": root, "title": "Home", "current": current_path == root.path}]
    for child in root.get_children().live().public().in_menu():
        is_current = bool(current_path and current_path.startswith(child.path))
        links.append({"page": child, "title": child.title, "current": is_current})
    return {"links": links}
