import type { MantineColorScheme, MantineColorSchemeManager } from '@mantine/core';

/**
 * Keeps the colour scheme for the tab only: the console writes nothing to the browser's storage
 * (Mantine's default manager uses localStorage).
 */
export function memoryColorSchemeManager(): MantineColorSchemeManager {
  let scheme: MantineColorScheme | undefined;
  return {
    get: (defaultValue) => scheme ?? defaultValue,
    set: (value) => {
      scheme = value;
    },
    subscribe: () => undefined,
    unsubscribe: () => undefined,
    clear: () => {
      scheme = undefined;
    },
  };
}
