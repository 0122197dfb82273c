#!/usr/bin/env bash
# docs/plugins.md section 10: the commands a user runs in a project that lists the plugin in
# .strata/config.json. examples/custom-plugin/src/plugin.spec.ts runs the same commands in a
# temporary project and checks their results.
set -euo pipefail
strata artifact-store flavor list                  # mirror appears, from @strata-examples/custom-plugin
strata artifact-store flavor describe mirror       # the schema table
strata secret set mirror-creds token=s3cr3t-token
strata artifact-store register mirrored --flavor mirror --path primary --mirror copy --token '{{secret.mirror-creds.token}}'
strata orchestrator register strict --flavor sequential --require-mirror true
strata stack register plugin-stack -o strict -a mirrored --set
strata run src/pipeline.ts                         # every artifact lands in primary/ and copy/
