import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';

export interface HttpOutcome {
  status: number;
  retryAfter: string | undefined;
  latencyMs: number;
}

/** The endpoint did not answer in time (as opposed to refusing or dropping the connection). */
export class WebhookTimeoutError extends Error {
  override readonly name = 'WebhookTimeoutError';
}

/**
 * POSTs to a webhook endpoint, connecting only to an address that passed the SSRF checks (the
 * host name still goes in the Host header and TLS SNI). Redirects are not followed; the body of
 * the answer is read and dropped, at most 64 KiB of it.
 */
@Injectable()
export class PinnedHttpClient {
  post(
    url: URL,
    address: { address: string; family: 4 | 6 },
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<HttpOutcome> {
    const started = performance.now();
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [address]);
      else callback(null, address.address, address.family);
    };
    const options: RequestOptions & { servername?: string } = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup,
      timeout: timeoutMs,
      ...(url.protocol === 'https:' ? { servername: url.hostname.replace(/^\[(.*)\]$/, '$1') } : {}),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(url, options, (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 64 * 1024) response.destroy();
        });
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'],
            latencyMs: Math.round(performance.now() - started),
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      });
      const timedOut = () => request.destroy(new WebhookTimeoutError(`no answer within ${timeoutMs} ms`));
      const deadline = setTimeout(timedOut, timeoutMs);
      request.on('timeout', timedOut);
      request.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      request.on('close', () => clearTimeout(deadline));
      request.end(body);
    });
  }
}
