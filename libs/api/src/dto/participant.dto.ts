import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARTICIPANT_KINDS, ParticipantKind } from '@rdx/persistence';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateParticipantDto {
  @ApiProperty({ example: 'KH.CNP', pattern: '^(BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)\\.[A-Z0-9-]{2,32}$' })
  @Matches(/^(BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)\.[A-Z0-9-]{2,32}$/, {
    message: 'id must be CC.AGENCY: an ASEAN country code, a dot, 2-32 of A-Z 0-9 -',
  })
  id!: string;

  @ApiProperty({ example: 'Cambodian National Police, Anti-Human Trafficking Department' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: PARTICIPANT_KINDS })
  @IsIn(PARTICIPANT_KINDS)
  kind!: ParticipantKind;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { email: 'desk@example.gov' } })
  @IsOptional()
  @IsObject()
  contact?: Record<string, unknown>;
}

export class PatchParticipantDto {
  @ApiProperty({ enum: ['active', 'suspended'] })
  @IsIn(['active', 'suspended'])
  status!: 'active' | 'suspended';
}
