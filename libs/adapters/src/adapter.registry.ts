import { Inject, Injectable } from '@nestjs/common';
import { INBOUND_ADAPTERS, InboundAdapter, OUTBOUND_ADAPTERS, OutboundAdapter } from './contract';

/** The adapters registered under {@link INBOUND_ADAPTERS} and {@link OUTBOUND_ADAPTERS}, chosen by country code. */
@Injectable()
export class AdapterRegistry {
  constructor(
    @Inject(INBOUND_ADAPTERS) private readonly inboundAdapters: readonly InboundAdapter[],
    @Inject(OUTBOUND_ADAPTERS) private readonly outboundAdapters: readonly OutboundAdapter[],
  ) {}

  /** The inbound adapter of a country (any letter case), or undefined. */
  inbound(country: string): InboundAdapter | undefined {
    return this.inboundAdapters.find((a) => a.country === country.toUpperCase());
  }

  /** The outbound adapter of a country, or undefined. */
  outbound(country: string): OutboundAdapter | undefined {
    return this.outboundAdapters.find((a) => a.country === country.toUpperCase());
  }

  /** The countries with an inbound adapter. */
  countries(): string[] {
    return this.inboundAdapters.map((a) => a.country).sort();
  }
}
