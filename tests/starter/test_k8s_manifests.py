"""deploy/k8s, on paper: each kustomization renders, Kubernetes' schemas accept it (what
`make lint` runs), and the Deployment asks for what a zero-downtime, locked-down web needs."""

import subprocess

import pytest
import yaml

from tests.paths import REPO_ROOT

KUSTOMIZATIONS = ["base", "overlays/production"]


def render(directory) -> list[dict]:
    result = subprocess.run(
        ["kustomize", "build", str(directory)], capture_output=True, text=True, check=True
    )
    return list(yaml.safe_load_all(result.stdout))


def validate(resources: list[dict], tmp_path) -> subprocess.CompletedProcess:
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(yaml.safe_dump_all(resources))
    return subprocess.run(
        ["kubernetes-validate", "--strict", "--quiet", str(rendered)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def of_kind(resources: list[dict], kind: str) -> dict:
    (resource,) = [r for r in resources if r["kind"] == kind]
    return resource


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_each_kustomization_renders_resources_the_kubernetes_schemas_accept(
    kustomization, tmp_path
):
    resources = render(REPO_ROOT / "deploy/k8s" / kustomization)

    result = validate(resources, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = {r["kind"] for r in resources}
    assert {"Deployment", "Service", "Ingress", "PodDisruptionBudget"} <= kinds
    assert {"HorizontalPodAutoscaler", "Job", "ConfigMap"} <= kinds


def test_a_field_kubernetes_does_not_know_is_rejected(tmp_path):
    resources = render(REPO_ROOT / "deploy/k8s/base")
    of_kind(resources, "Deployment")["spec"]["maxUnavailable"] = 0

    result = validate(resources, tmp_path)

    assert result.returncode != 0
    assert "maxUnavailable" in result.stdout + result.stderr


def test_the_deployment_rolls_without_losing_capacity_behind_probes_locked_down():
    resources = render(REPO_ROOT / "deploy/k8s/overlays/production")
    deployment = of_kind(resources, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (web,) = pod["containers"]

    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    # Alive is the process; ready is the database too: an outage takes pods out of the
    # Service, and restarts none.
    assert web["startupProbe"]["httpGet"]["path"] == "/livez/"
    assert web["livenessProbe"]["httpGet"]["path"] == "/livez/"
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz/"
    assert web["resources"]["requests"] and web["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert web["securityContext"]["readOnlyRootFilesystem"] is True
    assert web["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert web["securityContext"]["allowPrivilegeEscalation"] is False
    assert web["image"] == "ghcr.io/example/bfportal:1.0.0"
    # Secrets as files, read through the *_FILE variables; other settings from the ConfigMap.
    assert {"name": "SECRET_KEY_FILE", "value": "/run/secrets/bfportal/secret-key"} in web["env"]
    assert web["envFrom"][0]["configMapRef"]["name"].startswith("bfportal-config")
    assert {v["name"]: v for v in pod["volumes"]}["secrets"]["secret"]["secretName"] == (
        "bfportal-secrets"
    )


def test_the_ingress_passes_an_upload_and_no_larger_body_and_tmp_holds_uploads():
    resources = render(REPO_ROOT / "deploy/k8s/overlays/production")
    annotations = of_kind(resources, "Ingress")["metadata"]["annotations"]
    pod = of_kind(resources, "Deployment")["spec"]["template"]["spec"]

    # nginx's default of 1 MB would refuse most image uploads.
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == "10m"
    assert annotations["cert-manager.io/cluster-issuer"] == "letsencrypt"
    assert {v["name"]: v for v in pod["volumes"]}["tmp"]["emptyDir"]["sizeLimit"] == "128Mi"


def test_web_is_reached_only_from_the_ingress_and_reaches_only_its_services():
    resources = render(REPO_ROOT / "deploy/k8s/overlays/production")
    policy = of_kind(resources, "NetworkPolicy")["spec"]
    web_labels = of_kind(resources, "Deployment")["spec"]["template"]["metadata"]["labels"]

    assert policy["podSelector"]["matchLabels"].items() <= web_labels.items()
    assert sorted(policy["policyTypes"]) == ["Egress", "Ingress"]
    (ingress,) = policy["ingress"]
    assert ingress["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
    ]
    assert ingress["ports"] == [{"port": "http", "protocol": "TCP"}]
    egress_ports = sorted(p["port"] for rule in policy["egress"] for p in rule["ports"])
    # DNS, S3 over HTTPS, SMTP, PostgreSQL, the cache: nothing else.
    assert egress_ports == [53, 53, 443, 587, 5432, 6379]


def test_a_cron_job_runs_the_release_s_daily_clean_up_locked_down():
    resources = render(REPO_ROOT / "deploy/k8s/overlays/production")
    cron = of_kind(resources, "CronJob")["spec"]
    pod = cron["jobTemplate"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    deployment = of_kind(resources, "Deployment")["spec"]["template"]["spec"]

    assert cron["schedule"] == "0 4 * * *"
    assert container["command"] == ["python", "manage.py", "maintain"]
    assert container["image"] == deployment["containers"][0]["image"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
