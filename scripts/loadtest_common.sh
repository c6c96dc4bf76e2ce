# Sourced by the load tests (scripts/loadtest*.sh) after `cd` to the project: the tools they need and the
# production settings every app server they start runs with (no DEBUG, plain HTTP on 127.0.0.1).
PY=.venv/bin/python

command -v wrk >/dev/null || { echo "The load test needs wrk: apt-get install wrk (Debian, Ubuntu) or brew install wrk."; exit 1; }
command -v curl >/dev/null || { echo "The load test needs curl."; exit 1; }

export DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
