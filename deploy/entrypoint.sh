#!/bin/sh
# Entry point of the assistant's image (deploy/Dockerfile). Runs the given command after two checks
# that docker-compose.yml asks for per service, so a missing secret or model stops the service with
# one clear line instead of starting it half configured (an empty RASA_API_TOKEN, for instance,
# would leave Rasa's HTTP API without authentication):
#   REQUIRE_ENV    names of variables that must not be empty
#   REQUIRE_FILES  files that must exist (the trained model)
set -eu

usage() {
	cat <<'EOF'
Lai Châu admissions assistant: one image for every process of the production topology.
Run it through deploy/docker-compose.yml (see deploy/README.md); the commands it uses:

  rasa run --model /models/assistant.tar.gz --enable-api --auth-token TOKEN \
      --credentials credentials.yml --endpoints /config/endpoints.yml     a Rasa instance (:5005)
  rasa run actions --actions actions                                       an action server (:5055)
  python -m bot console serve --host 0.0.0.0 --port 5006                   the staff console (one)
  python -m bot.channels.telegram                                          the Telegram gateway (one)
  python -m bot db upgrade                                                 database migrations
  rasa train --fixed-model-name assistant --out /models                    train the model
  python -m bot staff create-admin NAME                                    the first console account
  python -m bot retention show | purge [--dry-run]                         the retention policy

Secrets and settings come from the environment (deploy/.env.example); the model is mounted at /models.
EOF
}

if [ "$#" -eq 0 ] || [ "$1" = usage ] || [ "$1" = help ] || [ "$1" = --help ]; then
	usage
	exit 0
fi

missing=""
for name in ${REQUIRE_ENV:-}; do
	eval "value=\${$name:-}"
	[ -n "$value" ] || missing="$missing $name"
done
if [ -n "$missing" ]; then
	echo "error:$missing not set: put a value in deploy/.env (see deploy/.env.example)" >&2
	exit 64
fi
for file in ${REQUIRE_FILES:-}; do
	if [ ! -r "$file" ]; then
		echo "error: $file does not exist or is not readable: train the model first" \
			"(docker compose -f deploy/docker-compose.yml --profile train run --rm train)" >&2
		exit 66
	fi
done

exec "$@"
