"""Views that show what Django sees behind the proxy, and pages that the audit can judge."""
import hashlib
import time

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt

# META keys that a proxy sets or a client may spoof; /echo/ reports all of them.
FORWARDING_META_PREFIXES = ("HTTP_X_FORWARDED", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_HOST")

UPLOAD_CHUNK_BYTES = 64 * 1024
SLOW_MAX_SECONDS = 600.0


def _server_scheme(request):
    scope = getattr(request, "scope", None)
    if scope is not None:
        return scope.get("scheme")
    return request.META.get("wsgi.url_scheme")


def echo(request):
    """What Django concluded about the request: scheme, host, client and the proxy headers."""
    body = {
        "is_secure": request.is_secure(),
        "scheme": request.scheme,
        "host": request.get_host(),
        "absolute_uri": request.build_absolute_uri(),
        "remote_addr": request.META.get("REMOTE_ADDR"),
        # The scheme the application server itself concluded (Gunicorn's secure_scheme_headers,
        # Uvicorn's --proxy-headers), before Django's SECURE_PROXY_SSL_HEADER is applied.
        "server_scheme": _server_scheme(request),
        "method": request.method,
        "path": request.path,
    }
    for key, value in request.META.items():
        if key.startswith(FORWARDING_META_PREFIXES):
            body[key] = value
    return JsonResponse(body)


def _body_stream(request):
    # Without Content-Length (chunked request) Django's WSGI request reads nothing,
    # while Gunicorn's wsgi.input decodes the chunks itself.
    if "wsgi.input" in request.META and not request.META.get("CONTENT_LENGTH"):
        return request.META["wsgi.input"]
    return request


@csrf_exempt
def upload(request):
    """Read the whole body in chunks (no size limit) and report its size and SHA-256."""
    if request.method != "POST":
        return HttpResponse("POST a body\n", status=405, content_type="text/plain")
    stream = _body_stream(request)
    digest = hashlib.sha256()
    size = 0
    while True:
        chunk = stream.read(UPLOAD_CHUNK_BYTES)
        if not chunk:
            break
        digest.update(chunk)
        size += len(chunk)
    return JsonResponse({"size": size, "sha256": digest.hexdigest()})


@csrf_exempt
def first_bytes(request):
    """Read only the first ?bytes=N (default 1024) of the body and answer at once, before the rest arrives.

    Behind a proxy that streams the body, the client gets this answer while it is still sending; behind
    one that buffers, only after it sent everything.
    """
    if request.method != "POST":
        return HttpResponse("POST a body\n", status=405, content_type="text/plain")
    try:
        wanted = int(request.GET.get("bytes", "1024"))
    except ValueError:
        return HttpResponse("bytes must be a number\n", status=400, content_type="text/plain")
    data = _body_stream(request).read(wanted)
    return JsonResponse({"read": len(data), "content_length": request.META.get("CONTENT_LENGTH")})


def slow(request):
    """Sleep for ?seconds=N (default 1) and answer, to exercise upstream timeouts."""
    try:
        seconds = float(request.GET.get("seconds", "1"))
    except ValueError:
        return HttpResponse("seconds must be a number\n", status=400, content_type="text/plain")
    seconds = max(0.0, min(seconds, SLOW_MAX_SECONDS))
    time.sleep(seconds)
    return JsonResponse({"slept": seconds})


def redirect_to(request):
    """Django's own redirect() to ?to= (default /echo/), as an app would redirect after a form."""
    return redirect(request.GET.get("to", "/echo/"))


def set_cookie(request):
    """A cookie without Secure, HttpOnly or SameSite: what the audit must flag."""
    response = HttpResponse("cookie set\n", content_type="text/plain")
    response.set_cookie("pref", "dark")
    return response


MIXED_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Mixed content</title>
<link rel="stylesheet" href="http://cdn.example.test/style.css">
<script src="http://cdn.example.test/app.js"></script>
<style>body { background: url(http://cdn.example.test/bg.png); }</style>
</head>
<body>
<h1>Mixed content</h1>
<img src="http://cdn.example.test/logo.png" alt="logo">
<img src="/static/small.png" srcset="http://cdn.example.test/large.png 2x" alt="srcset">
<iframe src="http://widgets.example.test/frame"></iframe>
<form action="http://forms.example.test/submit" method="post"><button>Send</button></form>
<a href="/clean/">clean page</a>
</body>
</html>
"""

CLEAN_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Clean content</title>
<link rel="stylesheet" href="https://cdn.example.test/style.css">
<script src="/static/app.js"></script>
<style>body { background: url(/static/bg.png); }</style>
</head>
<body>
<h1>Clean content</h1>
<img src="https://cdn.example.test/logo.png" alt="logo">
<img src="/static/small.png" srcset="https://cdn.example.test/large.png 2x" alt="srcset">
<iframe src="https://widgets.example.test/frame"></iframe>
<form action="/upload/" method="post"><button>Send</button></form>
<a href="/mixed/">mixed page</a>
<a href="http://example.test/plain-link">a plain link is navigation, not mixed content</a>
</body>
</html>
"""


def mixed(request):
    return HttpResponse(MIXED_PAGE, content_type="text/html; charset=utf-8")


# Relative links, so that they stay under the prefix when the site is mounted under a sub-path.
HOME_PAGE = """<!doctype html>
<html><head><title>Test site</title></head>
<body><h1>Test site</h1><a href="admin/">Staff</a></body></html>
"""


def home(request):
    """The site's home page, for deployments where Django answers /."""
    return HttpResponse(HOME_PAGE, content_type="text/html; charset=utf-8")


def clean(request):
    return HttpResponse(CLEAN_PAGE, content_type="text/html; charset=utf-8")
