import pytest
from wagtail.models import Page

from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_fresh_site_serves_the_welcoming_home_page_with_tailwind_css(client, home_page):
    response = client.get("/")

    assert response.status_code == 200
    assert isinstance(home_page, HomePage)
    html = response.content.decode()
    assert "Your Wagtail site starts here" in html
    assert "make dev" in html
    assert '<link rel="stylesheet" type="text/css" href="/static/css/dist/styles.css' in html


def test_wagtails_default_welcome_page_is_gone(home_page):
    assert not Page.objects.filter(slug="home", content_type__model="page").exists()
    assert home_page.live


def test_navigation_lists_live_menu_pages_in_tree_order(client, home_page):
    home_page.add_child(instance=StandardPage(title="About us", slug="about"))
    home_page.add_child(instance=StandardPage(title="Hidden", slug="hidden", show_in_menus=False))
    home_page.add_child(instance=StandardPage(title="Draft", slug="draft", live=False))
    home_page.add_child(instance=StandardPage(title="Blog", slug="blog"))

    html = client.get("/").content.decode()
    menu = html.split('data-testid="main-menu"', 1)[1].split("</ul>", 1)[0]

    assert ">About us<" in menu and ">Blog<" in menu
    assert menu.index(">About us<") < menu.index(">Blog<")
    assert "Hidden" not in menu
    assert "Draft" not in menu


def test_navigation_marks_the_section_of_the_current_page(client, home_page):
    about = home_page.add_child(instance=StandardPage(title="About us", slug="about"))
    about.add_child(instance=StandardPage(title="Team", slug="team"))

    html = client.get("/about/team/").content.decode()

    assert 'href="/about/" aria-current="page"' in html


def test_unknown_path_renders_the_sites_404_page(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
