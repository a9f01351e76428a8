from django.apps import AppConfig


class ThemeConfig(AppConfig):
    """django-tailwind's theme app: static_src/ holds the Tailwind source, static/ the built CSS."""

    name = "theme"
