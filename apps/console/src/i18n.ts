import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import id from './locales/id.json';

/** The languages the console speaks: one catalogue each, English the fallback for what is missing. */
export const LANGUAGES = { en: 'English', id: 'Bahasa Indonesia' } as const;
export type Language = keyof typeof LANGUAGES;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, id: { translation: id } },
  lng: 'en',
  fallbackLng: 'en',
  // React escapes what it renders.
  interpolation: { escapeValue: false },
});
i18n.on('languageChanged', (language) => document.documentElement.setAttribute('lang', language));

/** A time as the reader's language writes it. */
export const formatTime = (iso: string): string =>
  new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A country's name from its ISO code, in the reader's language. */
export const countryName = (code: string): string =>
  new Intl.DisplayNames([i18n.language], { type: 'region' }).of(code) ?? code;

export default i18n;
