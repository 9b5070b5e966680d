import 'reflect-metadata';
import { IsString, Length } from 'class-validator';
import { defineMessageType } from '../message-type.definition';
import { Describe, IsMessageId } from '../schema.decorators';

/** Takes back a message its sender found wrong: every recipient of the original receives it. */
export class WithdrawalV1 {
  @IsMessageId()
  @Describe('The id of the message withdrawn; only its sender may withdraw it')
  messageId!: string;

  @IsString()
  @Length(1, 1000)
  @Describe('Why it is withdrawn, for the recipients who acted on it')
  reason!: string;
}

export const withdrawalV1 = defineMessageType({
  type: 'org.asean.rdx.withdrawal.v1',
  title: 'Withdrawal',
  description:
    'The sender takes a message back: it turned out to be wrong or was sent to the wrong place. Every ' +
    'recipient of the original receives the withdrawal, deliveries of the original not yet made are ' +
    'cancelled, and its status says withdrawn.',
  dataClass: WithdrawalV1,
  aboutPersons: false,
  examples: [
    {
      // Cambodian police sent an incident alert about the wrong compound.
      messageId: '0b6f3c1e-5d0a-4b7e-9f57-3b2f1f0a9c11',
      reason: 'The raid was in Sihanoukville, not Poipet: an alert with the right place follows',
    },
    {
      // Thai police withdraw a victim notification sent to the wrong embassy.
      messageId: '7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
      reason: 'ส่งถึงหน่วยงานผิด / Sent to the wrong agency: the person is Lao, not Cambodian',
    },
  ],
});
