// `node --import <this file>`: resolves Strata's own workspace packages (@strata/*) through their
// `source` export condition (TypeScript sources, run by tsx) without applying that condition to
// third-party packages: some (tar, built with tshy) also export a `source` condition whose files are
// not published, so a global `--conditions=source` breaks them.
import { register } from 'node:module';

register('./source-conditions-hook.mjs', import.meta.url);
