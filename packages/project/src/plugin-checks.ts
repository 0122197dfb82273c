import { STRATA_VERSION, StrataError } from '@strata/core';
import { builtinMaterializers, type StrataPlugin, satisfies } from '@strata/core/plugin';

/**
 * What a plugin must satisfy before any of its flavors is used: it was built for this core, its
 * config schemas are zod 4 (zod 3 schemas crash `describe` and parsing deep inside), and no flavor or
 * materializer it declares is already declared by another package (the first would silently win).
 */
export function checkPlugin(plugin: StrataPlugin, specifier: string): void {
  if (plugin.core !== undefined && !satisfies(STRATA_VERSION, plugin.core)) {
    throw new StrataError(
      `plugin "${plugin.name}" supports @strata/core ${plugin.core}, but this is @strata/core ${STRATA_VERSION}`,
      {
        code: 'plugin_incompatible',
        field: 'plugins',
        value: specifier,
        fix: `install a release of ${plugin.name} built for @strata/core ${STRATA_VERSION}, or a @strata/core in ${plugin.core}`,
      },
    );
  }
  for (const flavor of plugin.flavors) {
    const schema = flavor.config as unknown as { _zod?: unknown; _def?: unknown } | undefined;
    if (typeof schema !== 'object' || schema === null || !('_zod' in schema)) {
      throw new StrataError(
        `plugin "${plugin.name}": the config of ${flavor.type} flavor "${flavor.name}" is not a zod 4 schema${schema && '_def' in schema ? ' (it looks like zod 3)' : ''}`,
        {
          code: 'invalid_plugin',
          field: `${flavor.type}.${flavor.name}.config`,
          value: specifier,
          fix: "declare it with zod 4: `import { z } from 'zod'` with zod ^4 in the plugin's dependencies (with zod 3.25 installed: `import { z } from 'zod/v4'`)",
        },
      );
    }
  }
}

/** Every flavor (type + name) and materializer id declared once across the loaded plugins. */
export function checkNoCollisions(plugins: readonly StrataPlugin[]): void {
  const flavors = new Map<string, string>();
  const materializers = new Map<string, string>(builtinMaterializers.map((m) => [m.id, '@strata/core']));
  for (const plugin of plugins) {
    for (const flavor of plugin.flavors) {
      const key = `${flavor.type}/${flavor.name}`;
      const other = flavors.get(key);
      if (other !== undefined) {
        throw new StrataError(
          `${flavor.type} flavor "${flavor.name}" is declared by both "${other}" and "${plugin.name}"`,
          {
            code: 'flavor_conflict',
            field: 'plugins',
            value: plugin.name,
            fix: `remove one of "${other}" and "${plugin.name}" from the plugins in .strata/config.json, or rename the flavor in your own plugin`,
          },
        );
      }
      flavors.set(key, plugin.name);
    }
    for (const materializer of plugin.materializers ?? []) {
      const other = materializers.get(materializer.id);
      if (other !== undefined) {
        throw new StrataError(
          `materializer "${materializer.id}" is declared by both "${other}" and "${plugin.name}"`,
          {
            code: 'materializer_conflict',
            field: 'plugins',
            value: plugin.name,
            fix: `give the materializer in "${plugin.name}" its own id (e.g. "${plugin.name.replace(/^@/, '').replace('/', '-')}.${materializer.id}")`,
          },
        );
      }
      materializers.set(materializer.id, plugin.name);
    }
  }
}
