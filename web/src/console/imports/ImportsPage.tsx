import { useState } from 'react';
import { Card, Steps } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHead } from '../../shared/ui';
import type { ImportJob, ImportUpload } from '../../shared/api/models';
import { UploadStep } from './UploadStep';
import { MappingStep } from './MappingStep';
import { RunStep } from './RunStep';
import { ResultStep } from './ResultStep';

/** Import wizard: upload → map columns → dry run / import with progress → result. */
export default function ImportsPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [fixed, setFixed] = useState<Record<string, string>>({});
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);

  const restart = () => {
    setUpload(null);
    setJob(null);
    setMapping({});
    setFixed({});
    setStep(0);
  };

  return (
    <>
      <PageHead title={t('nav.imports')} />
      <Card>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          items={[{ title: t('imports.stepUpload') }, { title: t('imports.stepMapping') }, { title: t('imports.stepRun') }, { title: t('imports.stepResult') }]}
        />
        {step === 0 && (
          <UploadStep
            onUploaded={(u, community) => {
              setUpload(u);
              setCommunityId(community);
              setMapping({ ...u.mapping });
              setFixed({});
              setStep(1);
            }}
          />
        )}
        {step === 1 && upload && (
          <MappingStep
            upload={upload}
            communityId={communityId}
            mapping={mapping}
            fixed={fixed}
            onChange={setMapping}
            onFixedChange={setFixed}
            onBack={restart}
            onNext={() => setStep(2)}
          />
        )}
        {step === 2 && upload && (
          <RunStep
            upload={upload}
            mapping={mapping}
            fixed={fixed}
            onBack={() => setStep(1)}
            onFinished={(j) => {
              setJob(j);
              setStep(3);
            }}
          />
        )}
        {step === 3 && job && upload && <ResultStep job={job} onRunForReal={() => setStep(2)} onRestart={restart} />}
      </Card>
    </>
  );
}
