/** Sign in with a demo (or real) account, then go to the screen of the user's role. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useAuth } from '../../auth/AuthContext.js';
import { homeOf } from '../../auth/roles.js';
import { useI18n } from '../../i18n/index.js';

export default function LoginPage() {
  const { t } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const user = await login(v.username, v.password);
      navigate(from && from !== '/login' ? from : homeOf(user), { replace: true });
    } catch (err) {
      setError(t('login.failed', { message: err instanceof ApiError ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login-page">
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={2}>{t('login.title')}</Typography.Title>
        {/* A missing field gets the focus, so a screen reader reads its message (antd links it by aria-describedby). */}
        <Form layout="vertical" onFinish={submit} requiredMark={false} scrollToFirstError={{ focus: true }}>
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}>
            <Input autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>{t('login.demoHint')}</Typography.Paragraph>
      </Card>
    </div>
  );
}
