/** Where the Docker engine is, and whether it shares this machine's filesystem. */
export interface DockerHost {
  /** As given (or DOCKER_HOST, or the default socket). */
  readonly url: string;
  /** The engine runs on this machine, so bind mounts of local paths work. */
  readonly local: boolean;
  readonly connection: { socketPath: string } | { host: string; port: number; protocol: 'http' | 'https' };
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export function dockerHost(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): DockerHost {
  const url = configured ?? env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
  if (url.startsWith('unix://') || url.startsWith('/')) {
    const socketPath = url.startsWith('unix://') ? url.slice('unix://'.length) : url;
    return { url, local: true, connection: { socketPath } };
  }
  const parsed = new URL(url.replace(/^tcp:/, env.DOCKER_TLS_VERIFY ? 'https:' : 'http:'));
  const protocol = parsed.protocol === 'https:' ? 'https' : 'http';
  const local = ['localhost', '127.0.0.1', '[::1]', '::1'].includes(parsed.hostname);
  return {
    url,
    local,
    connection: {
      host: parsed.hostname,
      port: Number(parsed.port || (protocol === 'https' ? 2376 : 2375)),
      protocol,
    },
  };
}
