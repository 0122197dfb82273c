import { api } from './api.js';
import type { ServerInfo } from './types.js';
import { useResource } from './use-resource.js';

let cached: Promise<ServerInfo> | undefined;

/** Who the server says we are (the local user on loopback, or the token's principal and scope). */
export function useServerInfo() {
  return useResource(() => {
    const info =
      cached ??
      api.info().catch((e: unknown) => {
        cached = undefined;
        throw e;
      });
    cached = info;
    return info;
  }, []);
}

export function forgetServerInfo(): void {
  cached = undefined;
}
