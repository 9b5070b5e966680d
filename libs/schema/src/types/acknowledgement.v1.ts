import 'reflect-metadata';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { CASE_REF_PATTERN } from '../countries.constants';
import { defineMessageType } from '../message-type.definition';
import { Describe, IsMessageId, RequiredWhen } from '../schema.decorators';

// The same states, in the same order, as the protocol's signed acknowledgements (POST /v1/messages/{id}/acks).
export const ACKNOWLEDGEMENT_STATUSES = ['received', 'accepted', 'rejected', 'actioned'] as const;

/** Answers a message about a case, for systems that exchange acknowledgements as messages. */
export class AcknowledgementV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The case reference of the message acknowledged; every message about this case carries it')
  caseRef!: string;

  @IsMessageId()
  @Describe('The id of the message acknowledged')
  inReplyTo!: string;

  @IsIn(ACKNOWLEDGEMENT_STATUSES)
  @Describe(
    "received: in the recipient's system; accepted: it will act on it; rejected: it will not, see " +
      'reason; actioned: it has done what was asked',
  )
  status!: (typeof ACKNOWLEDGEMENT_STATUSES)[number];

  @RequiredWhen('status', ['rejected'])
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

export const acknowledgementV1 = defineMessageType({
  type: 'org.asean.rdx.acknowledgement.v1',
  title: 'Acknowledgement',
  description:
    "Received, accepted, rejected (with a reason) or actioned: the states of the protocol's signed " +
    'acknowledgements, as a message about a case for systems that exchange them as messages.',
  dataClass: AcknowledgementV1,
  aboutPersons: false,
  examples: [
    {
      // The Indonesian embassy has issued the SPLP that the verification response announced.
      caseRef: 'KH-CNP-2026-00042',
      inReplyTo: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
      status: 'actioned',
      reason: 'SPLP issued on 2 December 2026 and handed to the shelter',
    },
    {
      // Thai police cannot act on a locate request: the boy is not in any Thai shelter or detention centre.
      caseRef: 'KH-NCCT-2026-0301',
      inReplyTo: '2a4b6c8d-0e1f-4a3b-9c5d-7e9f1a3b5c7d',
      status: 'rejected',
      reason:
        'ไม่พบบุคคลดังกล่าวในสถานคุ้มครองหรือสถานกักตัวของไทย / Not found in any Thai shelter or ' +
        'detention centre; the fishing fleet inspection centre in Samut Sakhon has been asked',
    },
    {
      // The Lao anti-trafficking committee takes up Malaysia's repatriation request.
      caseRef: 'MY-MAPO-2026-0311',
      inReplyTo: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
      status: 'accepted',
    },
  ],
});
