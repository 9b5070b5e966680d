import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemName, RdxError } from '@rdx/errors';
import { toViolations } from '@rdx/schema';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';

/**
 * Validates a body (422 invalid-fields) or a query (400 bad-request) against its DTO class,
 * naming every bad field.
 */
@Injectable()
export class DtoPipe implements PipeTransform {
  constructor(private readonly problem: ProblemName = 'invalid-fields') {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const dto = metadata.metatype;
    if (dto === undefined || dto === Object || dto === String) return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RdxError(this.problem, 'the request body must be a JSON object');
    }
    const instance = plainToInstance(dto, value, {
      enableImplicitConversion: this.problem === 'bad-request',
    }) as object;
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const violations = toViolations(errors, '').map((v) => ({ ...v, path: v.path.replace(/^\./, '') }));
      throw new RdxError(
        this.problem,
        `${metadata.type === 'query' ? 'the query' : 'the request'} is not valid`,
        {
          errors: violations,
        },
      );
    }
    return instance;
  }
}

/** Refuses a body whose Content-Type is not the one the endpoint takes (415). */
export function requireContentType(request: FastifyRequest, expected: string): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== expected) {
    throw new RdxError(
      'unsupported-media-type',
      `send Content-Type: ${expected}${type === '' ? '' : `, not ${type}`}`,
    );
  }
}
