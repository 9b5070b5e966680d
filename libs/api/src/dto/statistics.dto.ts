import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class StatisticsQueryDto {
  @ApiProperty({ example: '2026-01', description: 'The first month counted (YYYY-MM, UTC)' })
  @IsString()
  from!: string;

  @ApiProperty({ example: '2026-12', description: 'The last month counted (at most 120 months after from)' })
  @IsString()
  to!: string;

  @ApiPropertyOptional({
    example: 'month,nationality',
    description:
      'Comma-separated dimensions to break down by: month, type, sourceCountry, recipientCountry, nationality',
  })
  @IsOptional()
  @IsString()
  by?: string;

  @ApiPropertyOptional({ description: 'Comma-separated message types: only these are counted' })
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional({
    enum: ['sent', 'received'],
    description:
      'Only what the caller sent, or only what it received (a participant, or a country administrator: its country)',
  })
  @IsOptional()
  @IsString()
  direction?: string;
}
