"""On the swarm stack too, the app connects as a role of its own that db-setup made: the owner
of the database and its tables, no superuser."""

import json

from tests.containers import DATABASE_ROLE, LEAST_PRIVILEGE, django_shell


def test_the_app_s_role_is_no_superuser_cannot_run_programs_and_owns_every_table(stack):
    role = json.loads(django_shell(stack.containers("web")[0], DATABASE_ROLE))

    assert role == LEAST_PRIVILEGE
