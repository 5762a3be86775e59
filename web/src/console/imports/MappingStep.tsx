import { Alert, Button, Col, Form, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../shared/api/models';

interface Props {
  upload: ImportUpload;
  mapping: Record<string, string | null>;
  onChange: (m: Record<string, string | null>) => void;
  onBack: () => void;
  onNext: () => void;
}

/** For each target field, which column of the file holds it (prefilled by the server's guess). */
export function MappingStep({ upload, mapping, onChange, onBack, onNext }: Props) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const headerOptions = upload.headers.map((h) => ({ value: h, label: h }));
  const missing = upload.fields.filter((f) => f.required && !mapping[f.name]);
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
                label={en ? f.en : f.zh}
                required={f.required}
                htmlFor={`map-${f.name}`}
                validateStatus={f.required && !mapping[f.name] ? 'warning' : mapping[f.name] && dupes.has(mapping[f.name]!) ? 'warning' : undefined}
                help={mapping[f.name] && dupes.has(mapping[f.name]!) ? t('imports.dupColumn') : undefined}
              >
                <Select
                  id={`map-${f.name}`}
                  allowClear
                  showSearch
                  placeholder={t('imports.notMapped')}
                  value={mapping[f.name] ?? undefined}
                  options={headerOptions}
                  onChange={(v) => onChange({ ...mapping, [f.name]: (v as string) ?? null })}
                />
              </Form.Item>
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
              <Tag key={f.name}>{en ? f.en : f.zh}</Tag>
            ))}
          />
        )}
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
