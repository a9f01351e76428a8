"""web's connections to PostgreSQL carry bounds: a statement, a wait for a lock and a transaction
left idle each end after a set time (settings with defaults), and TCP keepalives notice a peer
that went away; migrations keep no bound on their statements, which may rewrite a table."""

from tests.containers import django_shell

SHOW = "from django.db import connection; c = connection.cursor(); c.execute('SHOW {}'); "


def show(stack, setting: str, before: str = "") -> str:
    return django_shell(
        stack.container("web"), before + SHOW.format(setting) + "print(c.fetchone()[0])"
    )


def test_web_bounds_statements_lock_waits_and_idle_transactions_and_keeps_connections_alive(stack):
    keepalives = (
        "from django.db import connection; connection.ensure_connection();"
        "p = connection.connection.info.get_parameters();"
        "print(p.get('keepalives'), p.get('keepalives_idle'))"
    )

    assert show(stack, "statement_timeout") == "30s"
    assert show(stack, "lock_timeout") == "10s"
    assert show(stack, "idle_in_transaction_session_timeout") == "1min"
    assert django_shell(stack.container("web"), keepalives) == "1 30"


def test_a_statement_that_outlasts_database_statement_timeout_is_cancelled(stack):
    code = (
        "from django.db import connection\n"
        "try:\n    connection.cursor().execute('SELECT pg_sleep(3)'); print('finished')\n"
        "except Exception as error:\n    print(type(error.__cause__).__name__)"
    )

    said = django_shell(stack.container("web"), code, env={"DATABASE_STATEMENT_TIMEOUT": "1"})

    assert said == "QueryCanceled"


def test_migrate_lifts_the_statement_bound_and_keeps_the_others(stack):
    migrated = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
    )

    assert show(stack, "statement_timeout", before=migrated) == "0"
    assert show(stack, "lock_timeout", before=migrated) == "10s"
