import { useEffect, useState } from 'react';
import { Alert, App, Form, Radio, TreeSelect, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import type { UploadProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage } from '../../shared/api';
import { toTreeData, usePlaceTree, useCurrentPlace, pathTo } from '../../shared/places';
import type { ImportUpload, PlaceNode } from '../../shared/api/models';

interface Values {
  kind: 'residents' | 'houses';
  communityId?: string;
}

export function UploadStep({ onUploaded }: { onUploaded: (u: ImportUpload, communityId: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const tree = usePlaceTree();
  const current = useCurrentPlace();
  const [error, setError] = useState<string | null>(null);
  const communityId = Form.useWatch('communityId', form);
  const kind = Form.useWatch('kind', form);
  // Default: the community of the header's place, or the only community in the user's scope.
  const communities: string[] = [];
  const collect = (ns: PlaceNode[] | undefined) => ns?.forEach((n) => (n.kind === 'community' ? communities.push(n.id) : collect(n.children)));
  collect(tree.data);
  const defaultCommunity =
    (current ? pathTo(tree.data, current).find((n) => n.kind === 'community')?.id : undefined) ?? (communities.length === 1 ? communities[0] : undefined);

  useEffect(() => {
    if (defaultCommunity && !form.getFieldValue('communityId')) form.setFieldValue('communityId', defaultCommunity);
  }, [defaultCommunity, form]);

  // Posts the file as multipart through the API client (CSRF header, problem+json errors).
  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    setError(null);
    try {
      const v = await form.validateFields();
      const fd = new FormData();
      fd.append('kind', v.kind);
      fd.append('communityId', v.communityId!);
      fd.append('file', file as Blob);
      const u = await api.post('/api/v1/imports', { body: fd });
      onSuccess?.(u);
      message.success(t('imports.uploaded', { name: u.fileName, count: u.totalRows }));
      onUploaded(u, v.communityId!);
    } catch (e) {
      onError?.(e as Error);
      if (!applyFieldErrors(form, e) && !(e && typeof e === 'object' && 'errorFields' in e)) setError(errorMessage(e));
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ kind: 'residents', communityId: defaultCommunity }} style={{ maxWidth: 640 }}>
      <Form.Item name="kind" label={t('imports.kind')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'residents', label: t('imports.kindResidents') },
            { value: 'houses', label: t('imports.kindHouses') },
          ]}
        />
      </Form.Item>
      <Form.Item name="communityId" label={t('imports.community')} rules={[{ required: true, message: t('imports.communityRequired') }]}>
        <TreeSelect
          treeData={toTreeData(tree.data, { selectableKinds: ['community'], stopAt: ['community'] })}
          treeDefaultExpandAll
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('imports.pickCommunity')}
          loading={tree.isLoading}
        />
      </Form.Item>
      <Form.Item
        label={t('imports.file')}
        required
        extra={
          <>
            <div>{t('imports.fileHint')}</div>
            <div>{t(kind === 'houses' ? 'imports.requiredColumnsHouses' : 'imports.requiredColumnsResidents')}</div>
          </>
        }
      >
        <Upload.Dragger
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          maxCount={1}
          showUploadList={{ showRemoveIcon: false }}
          customRequest={customRequest}
          disabled={!communityId}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{communityId ? t('imports.drop') : t('imports.pickCommunityFirst')}</p>
        </Upload.Dragger>
      </Form.Item>
      {error && <Alert type="error" showIcon message={error} role="alert" />}
    </Form>
  );
}
