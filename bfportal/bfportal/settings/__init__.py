"""Settings: base.py holds what every environment shares; dev, production and test adjust it.

Every environment variable read here is listed once, with its default, in .env.example.
"""
