"""Where the browser fetches media from, when uploads live in S3-compatible storage."""

from urllib.parse import urlsplit


def media_origin(storage: dict) -> str:
    """The origin of the media URLs django-storages' S3 backend writes: the custom domain
    (a CDN), the endpoint of an S3-compatible service, or else AWS's own host names."""
    options = storage["OPTIONS"]
    if options["custom_domain"]:
        return f"https://{options['custom_domain']}"
    if options["endpoint_url"]:
        endpoint = urlsplit(options["endpoint_url"])
        return f"{endpoint.scheme}://{endpoint.netloc}"
    return "https://*.amazonaws.com"
