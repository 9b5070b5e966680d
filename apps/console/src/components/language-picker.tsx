import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';

/** Chooses the catalogue the console speaks from, for this tab. */
export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      label={t('language')}
      value={i18n.resolvedLanguage}
      onChange={(event) => void i18n.changeLanguage(event.currentTarget.value)}
      data={Object.entries(LANGUAGES).map(([value, label]) => ({ value, label }))}
    />
  );
}
