# docs/plugins.md, section 2: this plugin in a project of your own, outside the checkout (README.md,
# "Your own project"), run in the project's folder; STRATA is the checkout. own-project.spec.ts runs it.
pnpm add "$STRATA/packages/core"                   # package.json: "@strata/core": "link:<checkout>/packages/core"
mkdir -p plugins
cp -R "$STRATA/examples/custom-plugin/src" plugins/custom   # the plugin's files; yours go here too
