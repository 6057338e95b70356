/** The lifecycle actions this user may take on this event now (allowedActions), each opening its dialog; dispatchers may also correct just the category. */
import { Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { ActionDialog } from './ActionDialog.js';
import { allowedActions, type ActionActor } from './allowedActions.js';
import { RecategoriseDialog } from './RecategoriseDialog.js';
import type { Department, EventAction, EventDetailWire } from './types.js';

const PRIMARY: ReadonlySet<EventAction> = new Set(['dispatch', 'accept', 'report_result', 'verify', 'close', 'complete_cotask']);

interface Props {
  event: EventDetailWire;
  actor: ActionActor;
  departments: readonly Department[];
  onChanged(updated: EventDetailWire): void;
  onReload(): void;
}

export function ActionBar({ event, actor, departments, onChanged, onReload }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState<EventAction | null>(null);
  const actions = allowedActions(event, actor);
  const [recategorising, setRecategorising] = useState(false);
  const mayCorrect = actor.roles.includes('dispatcher') || actor.roles.includes('admin');
  // A category-only correction (the department stays), for any event not yet closed.
  const mayRecategorise = mayCorrect && event.state !== 'closed';
  return (
    <section aria-label={t('workbench.actions')} data-testid="action-bar">
      {actions.length === 0 && !mayRecategorise
        ? <Typography.Text type="secondary">{t('workbench.noActions')}</Typography.Text>
        : (
          <Space wrap>
            {actions.map((a) => (
              <Button key={a} type={PRIMARY.has(a) ? 'primary' : 'default'} danger={a === 'escalate'} onClick={() => setOpen(a)} data-testid={`action-${a}`}>
                {t(`workbench.action.${a}`)}
              </Button>
            ))}
            {mayRecategorise && (
              <Button onClick={() => setRecategorising(true)} data-testid="action-recategorise">{t('workbench.recategorise.open')}</Button>
            )}
          </Space>
        )}
      {recategorising && (
        <RecategoriseDialog
          event={event}
          departments={departments}
          onClose={() => setRecategorising(false)}
          onReload={onReload}
          onDone={() => {
            setRecategorising(false);
            onReload();
          }}
        />
      )}
      {open && (
        <ActionDialog
          event={event}
          action={open}
          departments={departments}
          mayCorrect={mayCorrect}
          onClose={() => setOpen(null)}
          onReload={onReload}
          onDone={(u) => {
            setOpen(null);
            onChanged(u);
          }}
        />
      )}
    </section>
  );
}
