import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PURPOSES } from '@rdx/exchange';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class SubscriptionFilterDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['KH', 'TH.ATPD'],
    description: 'Participant ids or country codes',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  sources?: string[];
}

export class DeliveryDto {
  @ApiProperty({ enum: ['pull', 'webhook'] })
  @IsIn(['pull', 'webhook'])
  mode!: 'pull' | 'webhook';

  @ApiPropertyOptional({ description: 'For webhook delivery' })
  @ValidateIf((delivery: DeliveryDto) => delivery.mode === 'webhook')
  @IsUrl({ require_tld: false, require_protocol: true })
  @MaxLength(2000)
  url?: string;
}

export class CreateSubscriptionDto {
  @ApiProperty({ type: [String], example: ['org.asean.rdx.victim-identification-notification.v1'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  types!: string[];

  @ApiPropertyOptional({ type: SubscriptionFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubscriptionFilterDto)
  filter?: SubscriptionFilterDto;

  @ApiPropertyOptional({ enum: PURPOSES })
  @IsOptional()
  @IsIn(PURPOSES)
  purpose?: (typeof PURPOSES)[number];

  @ApiProperty({ type: DeliveryDto })
  @ValidateNested()
  @Type(() => DeliveryDto)
  delivery!: DeliveryDto;
}
