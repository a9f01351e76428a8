"""The CI workflow, on paper (it runs only on GitHub; actionlint in `make lint` checks its
syntax): every action is pinned by its commit, and the image job scans the image before it
pushes anything, pushes it with an SBOM and full provenance, and attests what it pushed."""

import re

import yaml

from tests.paths import REPO_ROOT

WORKFLOW = yaml.safe_load((REPO_ROOT / ".github/workflows/ci.yml").read_text())


def steps(job: str) -> list[dict]:
    return WORKFLOW["jobs"][job]["steps"]


def test_every_action_is_pinned_by_a_full_commit_sha():
    uses = [step["uses"] for job in WORKFLOW["jobs"] for step in steps(job) if "uses" in step]

    assert uses
    assert [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u)] == []


def test_the_image_job_scans_before_it_pushes_then_pushes_with_sbom_provenance_and_attestation():
    image = steps("image")
    names = [step.get("uses", "").split("@")[0] for step in image]
    scan = names.index("aquasecurity/trivy-action")
    pushes = [
        n for n, step in enumerate(image)
        if step.get("uses", "").startswith("docker/build-push-action")
        and step["with"].get("push")
    ]  # fmt: skip
    attested = [
        step["with"]["subject-digest"] for step in image
        if step.get("uses", "").startswith("actions/attest-build-provenance")
    ]  # fmt: skip

    assert image[scan]["with"]["severity"] == "CRITICAL"
    assert image[scan]["with"]["exit-code"] == "1"
    assert len(pushes) == 2 and scan < min(pushes)
    for n in pushes:
        assert image[n]["with"]["sbom"] is True
        assert image[n]["with"]["provenance"] == "mode=max"
    assert attested == [
        "${{ steps.build.outputs.digest }}",
        "${{ steps.build-backup.outputs.digest }}",
    ]
    assert WORKFLOW["jobs"]["image"]["permissions"]["attestations"] == "write"
