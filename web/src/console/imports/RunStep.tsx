import { useEffect, useState } from 'react';
import { Alert, App, Button, Progress, Space, Typography } from 'antd';
import { ExperimentOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';
import type { ImportJob, ImportUpload } from '../../shared/api/models';
import type { ApiBody } from '../../shared/api/types';

interface Props {
  upload: ImportUpload;
  mapping: Record<string, string | null>;
  /** One value for the whole file, for a place level the file has no column for (estate, building, unit). */
  fixed: Record<string, string>;
  onBack: () => void;
  onFinished: (j: ImportJob) => void;
}

type RunBody = ApiBody<'/api/v1/imports/{id}/run'>;

const finished = (s: ImportJob['status']) => s === 'done' || s === 'failed';

/** Starts a dry run or the real import and polls it every 500 ms until it ends. */
export function RunStep({ upload, mapping, fixed, onBack, onFinished }: Props) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [starting, setStarting] = useState<'dry' | 'real' | null>(null);

  useEffect(() => {
    if (!job || finished(job.status)) return;
    let stop = false;
    const timer = setTimeout(async () => {
      try {
        const next = await api.get('/api/v1/imports/{id}', { path: { id: upload.id } });
        if (stop) return;
        if (finished(next.status)) onFinished(next);
        else setJob(next);
      } catch (e) {
        if (!stop) message.error(errorMessage(e));
      }
    }, 500);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [job, upload.id, onFinished, message]);

  const run = async (dryRun: boolean) => {
    setStarting(dryRun ? 'dry' : 'real');
    try {
      const body: RunBody = { mapping, dryRun, ...(Object.keys(fixed).length ? { fixed } : {}) };
      const j = await api.post('/api/v1/imports/{id}/run', { path: { id: upload.id }, body });
      if (finished(j.status)) onFinished(j);
      else setJob({ ...j, status: 'running' });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setStarting(null);
    }
  };

  const running = !!job && !finished(job.status);
  const total = job?.totalRows || upload.totalRows || 0;
  const pct = total ? Math.floor(((job?.processedRows ?? 0) / total) * 100) : 0;
  return (
    <div style={{ maxWidth: 640 }}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('imports.dryRunHint')} />
      <Typography.Paragraph>{t('imports.fileSummary', { name: upload.fileName, count: upload.totalRows })}</Typography.Paragraph>
      {Object.entries(fixed).map(([k, v]) => {
        const f = upload.fields.find((x) => x.name === k);
        return (
          <Typography.Paragraph key={k} type="secondary">
            {(en ? f?.en : f?.zh) ?? k}: {t('imports.fixedSet', { value: v })}
          </Typography.Paragraph>
        );
      })}
      {job && (
        <div style={{ marginBottom: 16 }} aria-live="polite">
          <Typography.Text>{job.dryRun ? t('imports.dryRunning') : t('imports.importing')}</Typography.Text>
          <Progress percent={pct} status="active" />
          <Typography.Text type="secondary">{t('imports.progress', { done: job.processedRows ?? 0, total })}</Typography.Text>
        </div>
      )}
      <Space>
        <Button htmlType="button" onClick={onBack} disabled={running}>
          {t('common.prev')}
        </Button>
        <Button icon={<ExperimentOutlined />} onClick={() => run(true)} loading={starting === 'dry'} disabled={running || !!starting}>
          {t('imports.dryRun')}
        </Button>
        <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => run(false)} loading={starting === 'real'} disabled={running || !!starting}>
          {t('imports.import')}
        </Button>
      </Space>
    </div>
  );
}
