import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemName, RdxError } from '@rdx/errors';
import { toViolations } from '@rdx/schema';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

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
    const violations = [
      ...toViolations(errors, '').map((v) => ({ ...v, path: v.path.replace(/^\./, '') })),
      ...unsafeNumbers(instance),
    ];
    if (violations.length > 0) {
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

/**
 * Numbers a query turned into (the body parser refuses them in JSON) that are not finite or
 * are integers past ±(2^53 - 1): a validator's `@Min` alone lets `after=1e20` through.
 */
function unsafeNumbers(instance: object): { path: string; message: string }[] {
  return Object.entries(instance)
    .filter(
      ([, v]) =>
        typeof v === 'number' && !(Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v))),
    )
    .map(([path]) => ({
      path,
      message: `${path} must be a finite number, and an integer no larger than 2^53 - 1`,
    }));
}
