#!/bin/sh
# The entrypoint of AWS's Lambda base images: under the Runtime Interface Emulator when no Lambda
# runtime API is given (plain `docker run`), else the bootstrap directly. SAM replaces the entrypoint
# with its own emulator (/var/rapid/aws-lambda-rie), which starts /var/runtime/bootstrap itself.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then
  exec /usr/local/bin/aws-lambda-rie /var/runtime/bootstrap
else
  exec /var/runtime/bootstrap
fi
