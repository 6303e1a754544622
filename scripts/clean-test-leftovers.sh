#!/usr/bin/env bash
# Removes what the test suites create: containers and networks whose names
# start with a test prefix, and the course's lab names used by the e2e tests.
# Never run this against an engine whose containers you care about by those names.
set -uo pipefail
prefixes='^(itest-|e2e-)'
# Every container name the built-in course uses (lessons:test resets them itself; this catches an aborted run).
lab_containers=$(node -e "
  const fs = require('fs'), path = require('path'), yaml = require('yaml');
  const names = new Set();
  for (const d of fs.readdirSync('lessons')) {
    const f = path.join('lessons', d, 'lesson.yaml');
    if (fs.existsSync(f)) for (const n of (yaml.parse(fs.readFileSync(f, 'utf8')).names || {}).containers || []) names.add(n);
  }
  console.log('^(' + [...names].join('|').replace(/\./g, '\\.') + ')\$');
" 2>/dev/null || echo '^$')
docker ps -a --format '{{.Names}}' | grep -E "$prefixes|$lab_containers" | xargs -r docker rm -f >/dev/null
docker ps -a --filter label=dev.netlab.app --format '{{.ID}}' | xargs -r docker rm -f >/dev/null
docker network ls --filter label=dev.netlab.app --format '{{.ID}}' | xargs -r docker network rm >/dev/null 2>&1
docker network ls --format '{{.Name}}' | grep -E "$prefixes|^custom_network$|^custom-network$|^itest-" | xargs -r docker network rm >/dev/null 2>&1
exit 0
