#!/usr/bin/env bash
# Removes what the test suites create: containers and networks whose names
# start with a test prefix, and the course's lab names used by the e2e tests.
# Never run this against an engine whose containers you care about by those names.
set -uo pipefail
prefixes='^(itest-|e2e-)'
lab_containers='^(default_bbox0[12]|custom_bbox0[23]|default_bbox1)$'
docker ps -a --format '{{.Names}}' | grep -E "$prefixes|$lab_containers" | xargs -r docker rm -f >/dev/null
docker ps -a --filter label=dev.netlab.app --format '{{.ID}}' | xargs -r docker rm -f >/dev/null
docker network ls --format '{{.Name}}' | grep -E "$prefixes|^custom_network$|^custom-network$" | xargs -r docker network rm >/dev/null
exit 0
