import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

const STATUSES = ['pending', 'delivered', 'failed'] as const;
const PARTICIPANT = /^(BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)\.[A-Z0-9-]{2,32}$/;

export class DeliveryQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Administrators: one participant only' })
  @IsOptional()
  @Matches(PARTICIPANT)
  participant?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ReplayWindowDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Deliveries created at or after' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Deliveries created before' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({
    enum: STATUSES,
    description: 'Only those in this state (default: all, delivered ones too)',
  })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ description: 'Administrators: one participant only' })
  @IsOptional()
  @IsString()
  @Matches(PARTICIPANT)
  participant?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the deliveries of this subscription' })
  @IsOptional()
  @IsUUID()
  subscription?: string;
}
