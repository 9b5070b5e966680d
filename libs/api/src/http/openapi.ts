import { Injectable } from '@nestjs/common';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEMS, problemType } from '@rdx/errors';

/** The OpenAPI 3 document, generated from the controllers once the application is built. */
@Injectable()
export class OpenApiDocument {
  document: OpenAPIObject | undefined;

  build(app: INestApplication): OpenAPIObject {
    const config = new DocumentBuilder()
      .setTitle('RDX Regional Data Exchange')
      .setDescription(
        'The gateway of PROTOCOL.md version 1. Every refusal is application/problem+json (RFC 9457); problem types: ' +
          Object.entries(PROBLEMS)
            .map(([name, p]) => `${problemType(name as keyof typeof PROBLEMS)} (${p.status})`)
            .join(', '),
      )
      .setVersion('1')
      .addBearerAuth()
      .build();
    this.document = SwaggerModule.createDocument(app, config);
    return this.document;
  }
}
