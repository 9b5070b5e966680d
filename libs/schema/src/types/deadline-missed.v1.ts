import 'reflect-metadata';
import { IsString, Length, Matches } from 'class-validator';
import { defineMessageType } from '../message-type.definition';
import { Describe, IsIsoDateTime, IsMessageId, IsParticipantId } from '../schema.decorators';

/** The gateway's notice that a request's recipient did not reply in time. */
export class DeadlineMissedV1 {
  @IsMessageId()
  @Describe('The id of the request left unanswered')
  requestId!: string;

  @IsString()
  @Length(1, 200)
  @Matches(/^org\.asean\.rdx\.[a-z-]+\.v\d+$/)
  @Describe('The message type of the request')
  requestType!: string;

  @IsParticipantId()
  @Describe('Who sent the request')
  requester!: string;

  @IsParticipantId()
  @Describe('The recipient that has not replied (with inreplyto) by the deadline')
  recipient!: string;

  @IsIsoDateTime()
  @Describe('The deadline that passed: the envelope respondby, or the end (UTC) of the data respondBy date')
  respondBy!: string;
}

export const deadlineMissedV1 = defineMessageType({
  type: 'org.asean.rdx.deadline-missed.v1',
  title: 'Reply deadline missed',
  description:
    'Sent and signed by the gateway itself (source: the gateway id, a key of /.well-known/jwks.json) to ' +
    'the requester and to the recipient, within a minute of a request deadline passing with no reply ' +
    'from that recipient. No participant may publish it.',
  dataClass: DeadlineMissedV1,
  aboutPersons: false,
  examples: [
    {
      // Indonesia's ministry asked Cambodian police to confirm an identity; the answer is overdue.
      requestId: '3c9e2a71-8b4d-4f6e-a1c2-5d7e9f0b1a23',
      requestType: 'org.asean.rdx.nationality-verification-request.v1',
      requester: 'ID.KEMLU',
      recipient: 'KH.CNP',
      respondBy: '2026-12-05T00:00:00Z',
    },
    {
      // Thai police asked Cambodia's committee to locate a missing fisherman; no answer came.
      requestId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
      requestType: 'org.asean.rdx.locate-request.v1',
      requester: 'TH.ATPD',
      recipient: 'KH.NCCT',
      respondBy: '2026-11-30T17:00:00Z',
    },
  ],
});
