from wagtail import hooks

from bfportal import page_cache

hooks.register("is_request_cacheable", page_cache.is_request_cacheable)
hooks.register("is_response_cacheable", page_cache.is_response_cacheable)
