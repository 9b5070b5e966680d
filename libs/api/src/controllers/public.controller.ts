import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RdxError } from '@rdx/errors';
import { PublicKeys } from '@rdx/exchange';
import { SchemaRegistry } from '@rdx/schema';

@ApiTags('public')
@Controller()
export class PublicController {
  constructor(
    @Inject(PublicKeys) private readonly publicKeys: PublicKeys,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
  ) {}

  @Get('.well-known/jwks.json')
  @Header('content-type', 'application/jwk-set+json')
  @ApiOperation({ summary: "The gateway's receipt-signing public keys" })
  async gatewayJwks() {
    return this.publicKeys.gateway();
  }

  @Get('v1/participants/:id/jwks')
  @Header('content-type', 'application/jwk-set+json')
  @ApiOperation({ summary: "A participant's active and retired public keys" })
  async participantJwks(@Param('id') id: string) {
    return this.publicKeys.participant(id);
  }

  @Get('v1/schemas')
  @ApiOperation({ summary: 'The message types of the catalogue' })
  listSchemas() {
    return { types: this.schemas.list() };
  }

  @Get('v1/schemas/:type')
  @Header('content-type', 'application/schema+json')
  @ApiOperation({ summary: "The JSON Schema (draft 2020-12) of a type's data" })
  schema(@Param('type') type: string) {
    const schema = this.schemas.jsonSchema(type);
    if (schema === undefined) throw new RdxError('not-found', `no message type ${type}`);
    return schema;
  }
}
