"""The app connects to PostgreSQL as a role of its own: the owner of its database and its
tables, no superuser, so that an SQL injection cannot make the server run a program."""

import json

from tests.containers import DATABASE_ROLE, LEAST_PRIVILEGE, django_shell


def test_the_app_s_role_is_no_superuser_cannot_run_programs_and_owns_every_table(stack):
    role = json.loads(django_shell(stack.container("web"), DATABASE_ROLE))

    assert role == LEAST_PRIVILEGE
