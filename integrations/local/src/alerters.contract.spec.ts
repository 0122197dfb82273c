import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertEvent } from '@strata/core';
import { describeAlerterContract } from '@strata/testing';
import { logAlerterFlavor, webhookAlerterFlavor } from './flavor.js';

describeAlerterContract('log (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'strata-alerts-'));
  const factory = await logAlerterFlavor.load();
  const alerter = await factory(
    { file: 'alerts.jsonl' },
    { projectRoot: dir, componentName: 'log', database: undefined as never },
  );
  return {
    alerter,
    async received() {
      const text = await readFile(join(dir, 'alerts.jsonl'), 'utf8');
      return text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AlertEvent);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describeAlerterContract('webhook (loopback receiver)', async () => {
  const bodies: AlertEvent[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(JSON.parse(body) as AlertEvent);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const factory = await webhookAlerterFlavor.load();
  const config = webhookAlerterFlavor.config.parse({ url: `http://127.0.0.1:${port}/hook` });
  const alerter = await factory(config, {
    projectRoot: tmpdir(),
    componentName: 'hook',
    database: undefined as never,
  });
  return {
    alerter,
    received: async () => bodies,
    cleanup: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
