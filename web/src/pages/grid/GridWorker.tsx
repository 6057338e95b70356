/** Placeholder until the grid screen is built. */
import { useI18n } from '../../i18n/index.js';

export default function GridWorker() {
  const { t } = useI18n();
  return <div style={{ padding: 24 }}>{t('grid.title')}</div>;
}
