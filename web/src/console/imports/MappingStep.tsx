import { Alert, AutoComplete, Button, Col, Collapse, Form, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportUpload, PlaceNode } from '../../shared/api/models';
import { usePlaceTree, pathTo } from '../../shared/places';

/** Place levels the server accepts one value for, for the whole file (RunBody.fixed). */
const FIXABLE = ['estate', 'building', 'unit'] as const;
type Fixable = (typeof FIXABLE)[number];
const isFixable = (n: string): n is Fixable => (FIXABLE as readonly string[]).includes(n);

interface Props {
  upload: ImportUpload;
  communityId: string | null;
  mapping: Record<string, string | null>;
  fixed: Record<string, string>;
  onChange: (m: Record<string, string | null>) => void;
  onFixedChange: (f: Record<string, string>) => void;
  onBack: () => void;
  onNext: () => void;
}

/**
 * For each target field, which column of the file holds it (prefilled by the server's guess); for a
 * place level the file has no column for, one value for the whole file (an existing estate or
 * building of the community, or typed).
 */
export function MappingStep({ upload, communityId, mapping, fixed, onChange, onFixedChange, onBack, onNext }: Props) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const tree = usePlaceTree();
  const headerOptions = upload.headers.map((h) => ({ value: h, label: h }));
  const missing = upload.fields.filter((f) => f.required && !mapping[f.name] && !fixed[f.name]?.trim());
  const fieldLabel = (f: { zh: string; en: string }) => (en ? f.en : f.zh);

  // existing places to offer for a fixed value: estates of the community, buildings of the chosen estate, units of the chosen building
  const community = communityId ? pathTo(tree.data, communityId).at(-1) : undefined;
  const childNamed = (n: PlaceNode | undefined, kind: string, name: string | undefined) =>
    name ? n?.children?.find((c) => c.kind === kind && c.name === name.trim()) : undefined;
  const estate = mapping.estate ? undefined : childNamed(community, 'estate', fixed.estate);
  const building = mapping.building ? undefined : childNamed(estate, 'building', fixed.building);
  const parents: Record<Fixable, PlaceNode | undefined> = { estate: community, building: estate, unit: building };
  const optionsFor = (f: Fixable) => (parents[f]?.children ?? []).filter((c) => c.kind === f).map((c) => ({ value: c.name, label: c.name }));
  const setFixed = (name: string, v: string | undefined) => {
    const next = { ...fixed };
    if (v) next[name] = v;
    else delete next[name];
    onFixedChange(next);
  };
  const required = upload.fields.filter((f) => f.required);
  const optional = upload.fields.filter((f) => !f.required);
  const used = Object.values(mapping).filter(Boolean) as string[];
  const dupes = new Set(used.filter((h, i) => used.indexOf(h) !== i));

  return (
    <>
      <Typography.Paragraph>{t('imports.fileSummary', { name: upload.fileName, count: upload.totalRows })}</Typography.Paragraph>
      <Form layout="vertical" onFinish={onNext}>
        <Row gutter={16}>
          {upload.fields.map((f) => (
            <Col xs={24} sm={12} md={8} lg={6} key={f.name}>
              <Form.Item
                label={fieldLabel(f)}
                required={f.required}
                htmlFor={`map-${f.name}`}
                validateStatus={
                  f.required && !mapping[f.name] && !fixed[f.name]?.trim() ? 'warning' : mapping[f.name] && dupes.has(mapping[f.name]!) ? 'warning' : undefined
                }
                help={mapping[f.name] && dupes.has(mapping[f.name]!) ? t('imports.dupColumn') : undefined}
              >
                <Select
                  id={`map-${f.name}`}
                  allowClear
                  showSearch
                  placeholder={t('imports.notMapped')}
                  value={mapping[f.name] ?? undefined}
                  options={headerOptions}
                  onChange={(v) => {
                    onChange({ ...mapping, [f.name]: (v as string) ?? null });
                    if (v && fixed[f.name] !== undefined) setFixed(f.name, undefined);
                  }}
                />
              </Form.Item>
              {isFixable(f.name) && !mapping[f.name] && (
                <Form.Item label={t('imports.fixedValue')} htmlFor={`fixed-${f.name}`} style={{ marginTop: -8 }}>
                  <AutoComplete
                    id={`fixed-${f.name}`}
                    allowClear
                    maxLength={60}
                    placeholder={t('imports.fixedPlaceholder')}
                    value={fixed[f.name] ?? ''}
                    options={optionsFor(f.name)}
                    filterOption={(input, o) => String(o?.value ?? '').includes(input.trim())}
                    onChange={(v) => setFixed(f.name, (v as string) || undefined)}
                  />
                </Form.Item>
              )}
            </Col>
          ))}
        </Row>
        {missing.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('imports.missingRequired')}
            description={missing.map((f) => (
              <Tag key={f.name}>{fieldLabel(f)}</Tag>
            ))}
          />
        )}
        <Collapse
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'columns',
              label: t('imports.columnsTitle'),
              children: (
                <>
                  <Typography.Paragraph>
                    <Typography.Text strong>{t('imports.columnsRequired')}：</Typography.Text>
                    {required.map((f) => (
                      <Tag key={f.name} color="blue">
                        {f.zh} / {f.en}
                        {isFixable(f.name) ? ` (${t('imports.columnsFixable')})` : ''}
                      </Tag>
                    ))}
                  </Typography.Paragraph>
                  <Typography.Paragraph>
                    <Typography.Text strong>{t('imports.columnsOptional')}：</Typography.Text>
                    {optional.map((f) => (
                      <Tag key={f.name}>
                        {f.zh} / {f.en}
                        {isFixable(f.name) ? ` (${t('imports.columnsFixable')})` : ''}
                      </Tag>
                    ))}
                  </Typography.Paragraph>
                  <Typography.Paragraph type="secondary">{t('imports.columnsNames')}</Typography.Paragraph>
                  <Typography.Paragraph type="secondary">{t('imports.rowNumbering')}</Typography.Paragraph>
                </>
              ),
            },
          ]}
        />
        <Typography.Title level={5}>{t('imports.preview')}</Typography.Title>
        <Table
          size="small"
          bordered
          scroll={{ x: true }}
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={upload.sample.map((row) => Object.fromEntries(upload.headers.map((h, i) => [h, row[i] ?? ''])))}
          columns={upload.headers.map((h) => ({ title: h, dataIndex: h, key: h, ellipsis: true }))}
        />
        <Space style={{ marginTop: 24 }}>
          <Button htmlType="button" onClick={onBack}>
            {t('imports.restart')}
          </Button>
          <Button type="primary" htmlType="submit">
            {t('common.next')}
          </Button>
        </Space>
      </Form>
    </>
  );
}
