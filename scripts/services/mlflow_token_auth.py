"""MLflow authorization function for the Strata test server (see mlflow.sh).

MLflow's basic-auth app accepts only `Authorization: Basic`. Managed MLflow servers (and proxies in
front of self-hosted ones) take `Authorization: Bearer <token>`, which is what Strata's `token`
config sends, so this function accepts the test token as the admin user and falls back to MLflow's
own basic auth for everything else. A wrong token gets MLflow's 401 response.
"""

import hmac
import os

from flask import request
from werkzeug.datastructures import Authorization

from mlflow.server.auth import authenticate_request_basic_auth, make_basic_auth_response


def authenticate():
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = header[len("bearer "):].strip()
        expected = os.environ.get("STRATA_MLFLOW_TOKEN", "")
        if expected and hmac.compare_digest(token, expected):
            return Authorization(
                "basic",
                {
                    "username": os.environ["STRATA_MLFLOW_TOKEN_USER"],
                    "password": os.environ["STRATA_MLFLOW_TOKEN_PASSWORD"],
                },
            )
        return make_basic_auth_response()
    return authenticate_request_basic_auth()
