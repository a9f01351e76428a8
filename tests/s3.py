"""moto's S3 server as the suites run it (tests/image/test_s3_media.py, tests/swarm): reached
by the name s3 on the test's network, with one bucket, accepting any credentials."""

import boto3

ENDPOINT = "http://s3:5000"
BUCKET = "bfportal-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
# The settings that point the production image's uploads at it.
STORAGE_SETTINGS = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_ENDPOINT_URL": ENDPOINT,
    "AWS_S3_REGION_NAME": "us-east-1",
    **CREDENTIALS,
}


def s3_client():
    return boto3.client(
        "s3", endpoint_url=ENDPOINT, region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )  # fmt: skip
