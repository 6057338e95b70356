/** The drawer that shows whatever feature was clicked on the map. */
import { Drawer } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n/index.js';
import type { SensorFeed } from '../live/sensorFeed.js';
import type { AlarmWire, AreaRisk, OrgUnit, Selection } from '../types.js';
import type { Catalogue } from '../useCatalogue.js';
import { AlarmDetails } from './AlarmDetails.js';
import { AreaDetails } from './AreaDetails.js';
import { EventDetails } from './EventDetails.js';
import { SensorDetails } from './SensorDetails.js';

const TITLES: Record<Selection['kind'], MessageKey> = { sensor: 'ops.details.sensor', alarm: 'ops.details.alarm', event: 'ops.details.event', area: 'ops.details.area' };

export interface DetailsContext {
  feed: SensorFeed;
  alarms: AlarmWire[];
  units: Map<string, OrgUnit>;
  risk: Map<string, AreaRisk>;
  catalogue: Catalogue;
  reloadAlarms: () => void;
}

export function DetailsDrawer({ selection, onSelect, onClose, ctx }: { selection: Selection | null; onSelect: (s: Selection) => void; onClose: () => void; ctx: DetailsContext }) {
  const { t } = useI18n();
  return (
    <Drawer
      open={selection !== null} onClose={onClose} mask={false} size={440} placement="right" destroyOnHidden
      title={selection ? t(TITLES[selection.kind]) : ''} data-testid="details-drawer" className="ops-drawer"
    >
      {selection?.kind === 'sensor' && <SensorDetails key={selection.id} id={selection.id} feed={ctx.feed} alarms={ctx.alarms} catalogue={ctx.catalogue} onSelect={onSelect} />}
      {selection?.kind === 'alarm' && <AlarmDetails key={selection.id} id={selection.id} onChanged={ctx.reloadAlarms} onSelect={onSelect} />}
      {selection?.kind === 'event' && <EventDetails key={selection.id} id={selection.id} catalogue={ctx.catalogue} />}
      {selection?.kind === 'area' && <AreaDetails key={selection.id} id={selection.id} unit={ctx.units.get(selection.id)} risk={ctx.risk.get(selection.id)} />}
    </Drawer>
  );
}
