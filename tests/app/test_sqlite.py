"""SQLite as the image runs it, with gunicorn's threads and workers on one file: a transaction
that reads and then writes, as publishing a page does, waits for the other writers instead of
failing with "database is locked"."""

import json

from tests.factories import PRODUCTION_SETTINGS

WRITERS = 8
READ_THEN_WRITE = """
import json, sys, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE notes (writer integer)")
connection.close()
errors = []


def write(writer):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM notes")
            time.sleep(0.2)
            cursor.execute("INSERT INTO notes VALUES (%s)", [writer])
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        connection.close()


threads = [threading.Thread(target=write, args=(n,)) for n in range(int(sys.argv[1]))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM notes")
    print(json.dumps({"errors": errors, "rows": cursor.fetchone()[0]}))
"""


def test_concurrent_transactions_that_read_then_write_all_commit_on_sqlite(run_python, tmp_path):
    env = {**PRODUCTION_SETTINGS, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}

    result = run_python("-c", READ_THEN_WRITE, str(WRITERS), env=env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"errors": [], "rows": WRITERS}
