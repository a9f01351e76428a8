"""scripts/binfmt.sh (`make binfmt`) registers QEMU only as root on Debian; anywhere else it
refuses in one line and installs nothing. Tried in throw-away containers, which see no
registered qemu-aarch64 (binfmt_misc is not mounted in them) and reach no network.
"""

import pytest

from tests.containers import LABEL, docker
from tests.paths import SCRIPTS

SCRIPT_IN_CONTAINER = "/opt/binfmt.sh"


@pytest.mark.parametrize(
    ("setup", "as_user", "said"),
    [
        ("", "setpriv --reuid=65534 --regid=65534 --clear-groups", "here: debian, uid 65534"),
        ("sed -i 's/^ID=.*/ID=ubuntu/' /etc/os-release", "", "here: ubuntu, uid 0"),
    ],
    ids=["non-root-on-debian", "root-on-ubuntu"],
)
def test_refuses_in_one_line_and_installs_nothing_unless_root_on_debian(
    image, setup, as_user, said
):
    result = docker(
        "run", "--rm", "--label", LABEL, "--network", "none",
        "-v", f"{SCRIPTS / 'binfmt.sh'}:{SCRIPT_IN_CONTAINER}:ro", image, "bash", "-c",
        f"{setup}\n{as_user} {SCRIPT_IN_CONTAINER}; echo \"rc=$?\"; dpkg-query -W qemu-user-static",
        check=False,
    )  # fmt: skip

    lines = result.stderr.strip().splitlines()
    assert "rc=1" in result.stdout.splitlines()
    assert len(lines) == 2, result.stderr
    assert "registers it only as root on Debian" in lines[0] and said in lines[0]
    assert "no packages found matching qemu-user-static" in lines[1]
