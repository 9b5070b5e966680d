import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601 } from 'class-validator';

const BUCKETS = ['minute', 'hour', 'day'] as const;

export class FlowQueryDto {
  @ApiProperty({ format: 'date-time', description: 'Messages received at or after' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Messages received before (at most 31 days after from)' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiProperty({ enum: BUCKETS, description: 'The length of a bucket (at most 500 buckets)' })
  @IsIn(BUCKETS)
  bucket!: (typeof BUCKETS)[number];
}
