import { DynamicModule, Global, Module } from '@nestjs/common';
import { RdxConfig } from './rdx-config';

/** The injection token of the validated configuration. */
export const RDX_CONFIG = Symbol('RDX_CONFIG');

/** Makes the configuration validated at boot available to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: RdxConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: RDX_CONFIG, useValue: config }],
      exports: [RDX_CONFIG],
    };
  }
}
