import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AdminRole } from '@rdx/persistence';
import { IsIn, IsISO8601, IsOptional, IsString } from 'class-validator';

export class IssueTokenDto {
  @ApiProperty({ enum: ['admin', 'country-admin', 'auditor'] })
  @IsIn(['admin', 'country-admin', 'auditor'])
  role!: AdminRole;

  @ApiPropertyOptional({ example: 'ID', description: 'The country of a country-admin' })
  @IsOptional()
  @IsString()
  country?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: 90 days from now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
