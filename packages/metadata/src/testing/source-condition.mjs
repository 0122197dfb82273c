// `node --import tsx --import <this file> script.ts` runs a script on the workspace's TypeScript sources.
import { register } from 'node:module';

register('./source-condition-hooks.mjs', import.meta.url);
