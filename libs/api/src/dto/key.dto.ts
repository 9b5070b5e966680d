import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsObject, IsOptional, IsString, Length } from 'class-validator';

export class RegisterKeyDto {
  @ApiProperty({
    description: 'A public JWK: EC P-256 (ES256) or OKP Ed25519 (EdDSA)',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  jwk!: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  notBefore?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  notAfter?: string;
}

export class RevokeKeyDto {
  @ApiProperty({ example: 'private key exposed on a compromised workstation' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}
