"""A real OpenID Connect provider for the tests: django-oauth-toolkit in a
second Django process on 127.0.0.1 (see serve.py and conftest's fixture)."""
