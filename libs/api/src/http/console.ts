import { existsSync, readdirSync } from 'node:fs';
import { relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.filter';

/**
 * What the console's pages may load and do: only the gateway's own scripts, styles, images and
 * API (no inline script or style element, no framing by another site, no plugins).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONSOLE_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const logger = new Logger('Console');

type ConsoleParams = { '*'?: string };

/** The files of a built console, as `/`-separated paths relative to its folder. */
function consoleFiles(dir: string): Set<string> {
  if (!existsSync(dir)) return new Set();
  return new Set(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, `${entry.parentPath}${sep}${entry.name}`).split(sep).join('/')),
  );
}

/**
 * Serves the administrators' console (apps/console, built by `npm run build` into
 * `config.consoleDir`) at `/console`: its files as they are, and `index.html` for any other path
 * below it, the console's own routes. Only files present at start are served, so no path can
 * reach outside the folder. Without a built console, `/console` answers a problem saying so.
 */
export async function installConsole(app: NestFastifyApplication, config: RdxConfig): Promise<void> {
  const files = consoleFiles(config.consoleDir);
  const built = files.has('index.html');
  if (built) await app.register(fastifyStatic, { root: config.consoleDir, serve: false });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  // Every answer below /console comes from here, so its headers are set here rather than by a
  // hook that every API request would pass through.
  const serve = async (request: FastifyRequest<{ Params: ConsoleParams }>, reply: FastifyReply) => {
    void reply.headers(CONSOLE_HEADERS);
    if (!built) {
      const detail = `the console is not built: run npm run build (it builds apps/console into ${config.consoleDir})`;
      sendProblem(reply, new RdxError('not-found', detail), logger);
      return reply;
    }
    const path = request.params['*'] ?? '';
    if (files.has(path) && path !== 'index.html') {
      // Vite names every asset by its content's hash: a changed file is a new name.
      return path.startsWith('assets/')
        ? reply.sendFile(path, { maxAge: 365 * 86_400_000, immutable: true })
        : reply.sendFile(path);
    }
    // A missing asset is a 404; any other path is one of the console's own pages (KH.CNP included).
    if (path.startsWith('assets/')) {
      sendProblem(reply, new RdxError('not-found', `the console has no file ${path}`), logger);
      return reply;
    }
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  };
  fastify.get<{ Params: ConsoleParams }>('/console', serve);
  fastify.get<{ Params: ConsoleParams }>('/console/*', serve);
}
