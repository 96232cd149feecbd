"""The action server, closed by default: rasa-sdk's app on 127.0.0.1, refusing any call without the
shared secret that Rasa sends in a header (endpoints.yml `headers: {X-Actions-Secret: ...}`).

`rasa run actions` binds every interface and trusts every caller: anyone who reached it could run
`action_submit_lead` or erase a person's data with a forged tracker (security review H2). Every
launcher (`./run start`, the test harness, the topology) starts this module instead:

    python -m bot.action_server --port 5055   # ACTIONS_SECRET from the environment (required)

ACTIONS_HOST picks another interface (an operator's choice, e.g. a container network); /health
stays open for load balancers and start-up checks, and says nothing about the assistant.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.tokens import same_secret

SECRET_HEADER = "X-Actions-Secret"
OPEN_PATHS = ("/health",)


def create_app(secret: str):
    from rasa_sdk.endpoint import create_app as sdk_app
    from sanic import response

    app = sdk_app("actions", cors_origins=[])  # Rasa calls it server to server: no browser origin

    @app.middleware("request")
    async def require_secret(request):
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(SECRET_HEADER, "")
        if not same_secret(given, secret):
            return response.json({"error": "forbidden"}, status=403)
        return None

    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("ACTIONS_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    secret = os.environ.get("ACTIONS_SECRET", "")
    if len(secret) < 16:
        print("error: ACTIONS_SECRET is not set (at least 16 characters); ./run start generates one.", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app(secret)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
