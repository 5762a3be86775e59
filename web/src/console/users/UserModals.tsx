import { useState } from 'react';
import { App, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type FieldErrorTarget } from '../../shared/api';
import { toTreeData, usePlaceTree } from '../../shared/places';
import { SubmitOnEnter } from '../../shared/ui';
import type { UserRow } from '../../shared/api/models';
import { useQuery } from '@tanstack/react-query';

function useSave(form: FieldErrorTarget) {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const save = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
      message.success(t('common.saved'));
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, save };
}

export function CreateUserModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { busy, save } = useSave(form);
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal open={open} title={t('users.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={busy} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) =>
          save(async () => {
            await api.post('/api/v1/users', { body: v });
            onDone();
          })
        }
      >
        <Form.Item name="username" label={t('auth.username')} rules={[...req, { pattern: /^[a-z0-9_.-]{3,40}$/, message: t('users.usernameRule') }]}>
          <Input autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[...req, { max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[...req, { min: 10, message: t('users.passwordRule') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}

export function AddGrantModal({ user, onClose, onDone }: { user: UserRow | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { busy, save } = useSave(form);
  const tree = usePlaceTree();
  const req = [{ required: true, message: t('common.required') }];
  // only the roles the signed-in user may grant this user on the chosen place (server's delegation policy)
  const placeId = Form.useWatch('placeId', form) as string | undefined;
  const grantable = useQuery({
    queryKey: ['grantable-roles', user?.id, placeId],
    queryFn: () => api.get('/api/v1/users/{id}/grantable-roles', { path: { id: user!.id }, query: { placeId: placeId! } }),
    enabled: !!user && !!placeId,
  });
  const roleOptions = (grantable.data?.items ?? []).map((r) => ({ value: r, label: t(`role.${r}`) }));
  return (
    <Modal
      open={!!user}
      title={t('users.addGrantFor', { name: user?.displayName ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) =>
          save(async () => {
            await api.post('/api/v1/users/{id}/grants', { path: { id: user!.id }, body: v });
            onDone();
          })
        }
      >
        <Form.Item name="placeId" label={t('users.scope')} rules={req} extra={t('users.scopeHint')}>
          <TreeSelect
            treeData={toTreeData(tree.data, { stopAt: ['building'] })}
            showSearch
            treeNodeFilterProp="title"
            loading={tree.isLoading}
            treeDefaultExpandAll={false}
            onChange={() => form.setFieldValue('role', undefined)}
          />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={req}>
          <Select
            showSearch
            optionFilterProp="label"
            options={roleOptions}
            disabled={!placeId}
            loading={grantable.isFetching}
            placeholder={!placeId ? t('users.rolePickPlace') : undefined}
            notFoundContent={grantable.isError ? errorMessage(grantable.error) : t('users.roleNoneGrantable')}
          />
        </Form.Item>
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
