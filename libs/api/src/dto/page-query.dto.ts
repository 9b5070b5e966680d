import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class InboxQueryDto {
  @ApiPropertyOptional({ description: 'The opaque cursor of the last item read (URL-encoded)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'The seq of the last item read', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Only the items of this actor (exact), e.g. `admin-token:<id>` or a participant id',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({
    description: 'Only the items of this action (exact), e.g. `key.revoked`',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  action?: string;

  @ApiPropertyOptional({
    description:
      'Only the items about this subject (exact), e.g. a participant id. With any of actor, action ' +
      'or subject, a page holds the matches among the next 10 000 items and `next` is the last seq ' +
      'looked at: a page may be empty while more follow; the record is read when `next` equals `after`.',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;
}
