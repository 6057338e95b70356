/**
 * The grid worker's phone view (SPEC U3): my tasks, one task's detail with
 * the actions a grid worker may take (verify a fix in their grid), and
 * reporting a patrol finding. ?view= and ?event= keep the place on reload.
 */
import { Button, Segmented } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n/index.js';
import { EventDetail } from '../workbench/EventDetail.js';
import { PatrolReport } from './PatrolReport.js';
import { TaskList } from './TaskList.js';
import '../workbench/workbench.css';
import './grid.css';

type View = 'tasks' | 'report';

export default function GridWorker() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'report' ? 'report' : 'tasks';
  const eventId = params.get('event');
  const go = (next: { view?: View; event?: string | null }) => setParams(() => {
    const n = new URLSearchParams();
    n.set('view', next.view ?? 'tasks');
    if (next.event) n.set('event', next.event);
    return n;
  });
  return (
    <div className="grid-page" data-testid="grid-worker">
      {eventId ? (
        <>
          <Button onClick={() => go({ view: 'tasks' })} style={{ marginBottom: 12 }} size="large" data-testid="grid-back">← {t('grid.tasks.back')}</Button>
          <EventDetail key={eventId} id={eventId} compact />
        </>
      ) : (
        <>
          <Segmented<View>
            block
            size="large"
            value={view}
            onChange={(v) => go({ view: v })}
            options={[{ value: 'tasks', label: t('grid.tasks.title') }, { value: 'report', label: t('grid.report.title') }]}
            aria-label={t('grid.title')}
            data-testid="grid-view-switch"
            style={{ marginBottom: 12 }}
          />
          {view === 'tasks' ? <TaskList onOpen={(id) => go({ view: 'tasks', event: id })} /> : <PatrolReport onOpen={(id) => go({ view: 'tasks', event: id })} />}
        </>
      )}
    </div>
  );
}
