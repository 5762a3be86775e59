import { useState } from 'react';
import { Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, downloadUrl, errorMessage } from '../../shared/api';
import { can, useMe } from '../../shared/auth';
import { useCodeLabel, useCodeOptions, useCodes } from '../../shared/codes';
import { useCurrentPlace } from '../../shared/places';
import { PageHead } from '../../shared/ui';
import { useListPage } from '../../shared/useListPage';
import type { ResidentRow } from '../../shared/api/models';
import { ResidentFormModal } from './ResidentFormModal';
import { statusOptions } from './status';

interface Filters {
  q?: string;
  phone?: string;
  idNumber?: string;
  tag?: string;
  status?: string;
}

export default function ResidentsPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const nav = useNavigate();
  const qc = useQueryClient();
  const codes = useCodes();
  const label = useCodeLabel();
  const opts = useCodeOptions();
  const placeId = useCurrentPlace();
  const [form] = Form.useForm<Filters>();
  const [creating, setCreating] = useState(false);

  const {
    query: filterQuery,
    setFilters: search,
    list,
    tableProps,
  } = useListPage({
    filters: { q: 'text', phone: 'secret', idNumber: 'secret', tag: 'text', status: 'text' },
    queryKey: ['residents', 'list'],
    fetch: (q) => api.get('/api/v1/residents', { query: q }),
    extra: { placeId: placeId ?? undefined },
    form,
  });
  const query = { ...filterQuery, placeId: placeId ?? undefined };

  return (
    <>
      <PageHead
        title={t('nav.residents')}
        extra={
          <Space>
            {can(me, 'export', 'Resident') ? (
              <Button icon={<DownloadOutlined />} href={downloadUrl('/api/v1/residents/export.xlsx', { query })} download>
                {t('residents.export')}
              </Button>
            ) : null}
            {can(me, 'create', 'Resident') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('residents.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} name="residentSearch" layout="inline" onFinish={search} style={{ rowGap: 12 }}>
          <Form.Item name="q" label={t('residents.name')}>
            <Input allowClear placeholder={t('residents.nameContains')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="phone" label={t('residents.phone')}>
            <Input allowClear inputMode="tel" placeholder={t('residents.exactMatch')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="idNumber" label={t('residents.idCard')}>
            <Input allowClear placeholder={t('residents.exactMatch')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="tag" label={t('residents.tag')}>
            <Select allowClear options={opts(codes.residentTags)} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="status" label={t('residents.status')}>
            <Select allowClear options={statusOptions(t)} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                htmlType="button"
                onClick={() => {
                  form.resetFields();
                  search({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {list.isError && (
          <div role="alert" style={{ color: '#cf1322', marginBottom: 8 }}>
            {errorMessage(list.error)}
          </div>
        )}
        <Table<ResidentRow>
          {...tableProps}
          scroll={{ x: 1000 }}
          onRow={(r) => ({ onDoubleClick: () => nav(`/residents/${r.id}`) })}
          columns={[
            { title: t('residents.name'), dataIndex: 'name', fixed: 'left', render: (v, r) => <Link to={`/residents/${r.id}`}>{v}</Link> },
            { title: t('residents.idNumber'), dataIndex: 'idNumberMasked', render: (v) => <span className="masked">{v}</span> },
            { title: t('residents.gender'), dataIndex: 'gender', render: (v) => label(codes.genders, v) },
            { title: t('residents.age'), dataIndex: 'age', align: 'right' },
            { title: t('residents.phone'), dataIndex: 'phoneMasked', render: (v) => <span className="masked">{v}</span> },
            {
              title: t('residents.tags'),
              dataIndex: 'tags',
              render: (tags: string[]) =>
                tags?.map((c) => (
                  <Tag key={c} color="geekblue">
                    {label(codes.residentTags, c)}
                  </Tag>
                )),
            },
            {
              title: t('residents.houses'),
              dataIndex: 'houses',
              render: (hs: ResidentRow['houses']) =>
                hs?.map((h) => (
                  <div key={h.residencyId}>
                    <Link to={`/houses/${h.houseId}`}>{h.houseLabel}</Link> <span style={{ color: '#888' }}>{label(codes.residentRoles, h.role)}</span>
                  </div>
                )),
            },
            { title: t('residents.status'), dataIndex: 'status', render: (v) => t(`residentStatus.${v}`, { defaultValue: v }) },
          ]}
        />
      </Card>
      <ResidentFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(r) => {
          setCreating(false);
          void qc.invalidateQueries({ queryKey: ['residents'] });
          nav(`/residents/${r.id}`);
        }}
      />
    </>
  );
}
