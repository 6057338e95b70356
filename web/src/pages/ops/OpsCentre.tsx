/** Placeholder until the ops screen is built. */
import { useI18n } from '../../i18n/index.js';

export default function OpsCentre() {
  const { t } = useI18n();
  return <div style={{ padding: 24 }}>{t('ops.title')}</div>;
}
