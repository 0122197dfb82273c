import type { GlobalCommand } from '../index.js';
import { register as del } from './delete.js';
import { register as describe } from './describe.js';
import { register as flavorDescribe } from './flavor-describe.js';
import { register as flavorList } from './flavor-list.js';
import { register as list } from './list.js';
import { register as registerComponent } from './register.js';
import { register as rename } from './rename.js';
import { register as update } from './update.js';

export type Group = ReturnType<GlobalCommand['command']>;

/** `strata <component-type> ...`: the same verbs for every component type (orchestrator, artifact-store, ...). */
export function registerComponentGroup(program: GlobalCommand, cliType: string): void {
  const type = cliType.replace(/-/g, '_');
  const group = program.command(cliType).description(`${cliType} components: a flavor plus its config`);
  for (const add of [registerComponent, list, describe, update, rename, del]) add(group, type);
  const flavor = group.command('flavor').description(`the ${cliType} flavors installed plugins provide`);
  flavorList(flavor, type);
  flavorDescribe(flavor, type);
}
