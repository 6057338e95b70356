/** Placeholder until the workbench screen is built. */
import { useI18n } from '../../i18n/index.js';

export default function Workbench() {
  const { t } = useI18n();
  return <div style={{ padding: 24 }}>{t('workbench.title')}</div>;
}
