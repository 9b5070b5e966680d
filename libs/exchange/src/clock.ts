import { Injectable } from '@nestjs/common';

/** The time, behind a class so that tests can choose a fixed one explicitly. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
