/** Which layers the map shows, with their legends; the event category filter; the risk level and time slider. */
import { Card, Checkbox, Segmented, Select, Slider } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n/index.js';
import type { RiskLevel } from '../layers/useRisk.js';
import { CLASS_COLOURS, EVENT_STATE_COLOURS, SEVERITY_COLOURS, type LayerGroup } from '../map/style.js';
import { SEVERITIES } from '../types.js';
import type { Catalogue } from '../useCatalogue.js';

const LAYERS: Array<{ group: LayerGroup; label: MessageKey }> = [
  { group: 'sensors', label: 'ops.layer.sensors' },
  { group: 'alarms', label: 'ops.layer.alarms' },
  { group: 'events', label: 'ops.layer.events' },
  { group: 'risk', label: 'ops.layer.risk' },
  { group: 'boundaries', label: 'ops.layer.boundaries' },
];

/** Hours back the risk slider reaches. */
export const RISK_HOURS = 24;

export interface LayerSettings {
  visible: Record<LayerGroup, boolean>;
  category: string | null;
  riskLevel: RiskLevel;
  /** 0 = now, n = n hours ago. */
  riskHoursAgo: number;
}

function Dot({ colour }: { colour: string }) {
  return <span className="ops-dot" style={{ background: colour }} aria-hidden />;
}

export function LayerSwitcher({ value, onChange, catalogue, categories, missing }: {
  value: LayerSettings;
  onChange: (v: LayerSettings) => void;
  catalogue: Catalogue;
  categories: string[];
  missing: Partial<Record<LayerGroup, boolean>>;
}) {
  const { t } = useI18n();
  const set = (patch: Partial<LayerSettings>) => onChange({ ...value, ...patch });
  return (
    <Card size="small" className="ops-layers" title={t('ops.layers.title')} data-testid="layer-switcher">
      {LAYERS.map(({ group, label }) => (
        <div key={group} className="ops-layer-row">
          <Checkbox
            checked={value.visible[group]}
            onChange={(e) => set({ visible: { ...value.visible, [group]: e.target.checked } })}
            data-testid={`layer-${group}`}
          >
            {t(label)}
          </Checkbox>
          {missing[group] && <span className="ops-muted"> · {t('ops.unavailable')}</span>}
          {group === 'sensors' && value.visible.sensors && (
            <div className="ops-legend">
              {catalogue.classes.map((c) => <span key={c.class}><Dot colour={CLASS_COLOURS[c.class] ?? '#8c8c8c'} />{catalogue.className(c.class)}</span>)}
              <span><Dot colour="#fff" />{t('ops.legend.stale')}</span>
            </div>
          )}
          {group === 'alarms' && value.visible.alarms && (
            <div className="ops-legend">
              {SEVERITIES.map((s) => <span key={s}><Dot colour={SEVERITY_COLOURS[s]!} />{t(`severity.${s}`)}</span>)}
            </div>
          )}
          {group === 'events' && value.visible.events && (
            <>
              <div className="ops-legend">
                {Object.entries(EVENT_STATE_COLOURS).map(([s, c]) => <span key={s}><Dot colour={c} />{t(`state.${s as 'received'}`)}</span>)}
                <span><Dot colour="#a8071a" />{t('ops.legend.overdue')}</span>
              </div>
              <Select
                size="small" allowClear className="ops-select" placeholder={t('ops.layers.allCategories')} aria-label={t('ops.layers.category')}
                value={value.category ?? undefined} onChange={(v: string | undefined) => set({ category: v ?? null })}
                options={categories.map((c) => ({ value: c, label: catalogue.categoryName(c) }))}
              />
            </>
          )}
          {group === 'risk' && value.visible.risk && (
            <div className="ops-risk-controls">
              <Segmented<RiskLevel>
                size="small" value={value.riskLevel} onChange={(v) => set({ riskLevel: v })}
                options={[{ value: 'district', label: t('ops.level.district') }, { value: 'street', label: t('ops.level.street') }, { value: 'grid', label: t('ops.level.grid') }]}
              />
              <div className="ops-slider-label">{value.riskHoursAgo === 0 ? t('ops.risk.now') : t('ops.risk.hoursAgo', { n: value.riskHoursAgo })}</div>
              <Slider
                min={-RISK_HOURS} max={0} step={1} value={-value.riskHoursAgo} onChange={(v: number) => set({ riskHoursAgo: -v })}
                tooltip={{ formatter: (v) => (v ? t('ops.risk.hoursAgo', { n: -(v ?? 0) }) : t('ops.risk.now')) }}
                aria-label={t('ops.risk.slider')} data-testid="risk-slider"
              />
            </div>
          )}
        </div>
      ))}
    </Card>
  );
}
