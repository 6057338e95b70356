/** Placeholder until the citizen screen is built. */
import { useI18n } from '../../i18n/index.js';

export default function CitizenPortal() {
  const { t } = useI18n();
  return <div style={{ padding: 24 }}>{t('citizen.title')}</div>;
}
