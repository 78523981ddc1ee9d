"""Requests whose target is an absolute URL.

HTTP/1.1 (RFC 9112 §3.2.2) requires a server to accept `GET http://host/path HTTP/1.1`: old
proxies, feed readers and scrapers written for eFiction still send it. WSGI servers hand such a
target to Django with the whole URL as PATH_INFO; this middleware turns it back into a path, and
takes the host from the target as the RFC says.
"""

from urllib.parse import urlsplit


class AbsoluteFormRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(("http://", "https://", "/http://", "/https://")):
            target = urlsplit(path.lstrip("/"))
            request.path_info = target.path or "/"
            request.path = request.META.get("SCRIPT_NAME", "").rstrip("/") + request.path_info
            request.META["PATH_INFO"] = request.path_info
            if target.query and not request.META.get("QUERY_STRING"):
                request.META["QUERY_STRING"] = target.query
            if target.netloc:
                request.META["HTTP_HOST"] = target.netloc
        return self.get_response(request)
