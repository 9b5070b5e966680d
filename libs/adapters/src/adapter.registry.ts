import { Inject, Injectable } from '@nestjs/common';
import { INBOUND_ADAPTERS, InboundAdapter, OUTBOUND_ADAPTERS, OutboundAdapter } from './contract';
import { MappingAdapter } from './mapping/mapping.inbound';
import { loadMapping } from './mapping/mapping.loader';

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

  /**
   * The inbound adapter that a mapping file describes (`convert --mapping FILE`), to try a
   * mapping before it is installed. Throws a MappingError when it does not load or is not for
   * `country`.
   */
  fromMapping(file: string, country: string): InboundAdapter {
    return new MappingAdapter(loadMapping(file, { country }));
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
