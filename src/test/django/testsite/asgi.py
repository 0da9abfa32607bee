"""ASGI entry point, served by Uvicorn: Django plus a raw-ASGI WebSocket echo.

Django has no WebSocket support of its own (and the test site uses no Channels), so two tiny
raw-ASGI endpoints answer WebSocket scopes and everything HTTP goes to Django:
  /ws/echo   echoes every text or binary message back
  /ws/scope  sends one JSON text message with what the server saw (scheme, client, headers), then closes
"""
import json
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testsite.settings")

django_application = get_asgi_application()

WEBSOCKET_NORMAL_CLOSURE = 1000  # RFC 6455 section 7.4.1
WEBSOCKET_POLICY_VIOLATION = 1008  # RFC 6455 section 7.4.1: here, an unknown path


async def _echo(receive, send):
    while True:
        event = await receive()
        if event["type"] == "websocket.receive":
            if event.get("text") is not None:
                await send({"type": "websocket.send", "text": event["text"]})
            else:
                await send({"type": "websocket.send", "bytes": event.get("bytes") or b""})
        elif event["type"] == "websocket.disconnect":
            return


async def _scope(scope, send):
    client = scope.get("client")
    seen = {
        "scheme": scope.get("scheme"),
        "path": scope.get("path"),
        "client": list(client) if client else None,
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope.get("headers", [])],
    }
    await send({"type": "websocket.send", "text": json.dumps(seen)})
    await send({"type": "websocket.close", "code": WEBSOCKET_NORMAL_CLOSURE})


async def _websocket(scope, receive, send):
    event = await receive()
    if event["type"] != "websocket.connect":
        return
    if scope["path"] == "/ws/echo":
        await send({"type": "websocket.accept"})
        await _echo(receive, send)
    elif scope["path"] == "/ws/scope":
        await send({"type": "websocket.accept"})
        await _scope(scope, send)
    else:
        await send({"type": "websocket.close", "code": WEBSOCKET_POLICY_VIOLATION})


async def _lifespan(receive, send):
    # Django's ASGI handler refuses lifespan scopes; answering here keeps the server log clean.
    while True:
        event = await receive()
        if event["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif event["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope, receive, send):
    if scope["type"] == "websocket":
        await _websocket(scope, receive, send)
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
    else:
        await django_application(scope, receive, send)
