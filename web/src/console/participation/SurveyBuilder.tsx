import { App, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { AudienceFields } from './AudienceFields';
import { useCommunity, type Question, type QuestionType } from './api';

const types: QuestionType[] = ['single', 'multiple', 'text', 'textarea', 'rating', 'matrix_single', 'matrix_multiple', 'ranking'];
const withOptions: QuestionType[] = ['single', 'multiple', 'matrix_single', 'matrix_multiple', 'ranking'];
const lines = (s?: string) =>
  (s ?? '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

interface DraftQuestion {
  type: QuestionType;
  title: string;
  required?: boolean;
  options?: string;
  rows?: string;
  scale?: number;
  showIfQuestion?: number;
  showIfAnswers?: string[];
}
type NewSurvey = ApiBody<'/api/v1/surveys'>;
/** The builder's values: the new survey's fields, with the times as picked and the questions as drafted. */
type Draft = Pick<NewSurvey, 'title' | 'per'> &
  Partial<Pick<NewSurvey, 'description' | 'anonymous'>> & {
    opensAt?: Dayjs;
    closesAt?: Dayjs;
    audience?: Partial<NewSurvey['audience']>;
    questions: DraftQuestion[];
  };

/** The draft's questions in the API's shape: ids q1…qn, options one per line, conditions by index. */
export function toQuestions(d: DraftQuestion[]): Question[] {
  return d.map((q, i) => {
    const out: Question = { id: `q${i + 1}`, type: q.type, title: q.title, required: !!q.required };
    if (withOptions.includes(q.type)) out.options = lines(q.options);
    if (q.type === 'matrix_single' || q.type === 'matrix_multiple') out.rows = lines(q.rows);
    if (q.type === 'rating') out.scale = q.scale ?? 5;
    if (q.showIfQuestion != null && q.showIfAnswers?.length) out.showIf = { questionId: `q${q.showIfQuestion + 1}`, anyOf: q.showIfAnswers };
    return out;
  });
}

export function SurveyBuilder({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useCommunity();
  const [form] = Form.useForm<Draft>();
  const questions = Form.useWatch('questions', form) ?? [];
  const save = useMutation({
    mutationFn: (d: Draft) =>
      api.post('/api/v1/surveys', {
        body: {
          communityId: community.id!,
          title: d.title,
          description: d.description ?? '',
          per: d.per,
          anonymous: !!d.anonymous,
          audience: { placeIds: d.audience?.placeIds ?? [], tags: d.audience?.tags ?? [] },
          questions: toQuestions(d.questions ?? []),
          opensAt: d.opensAt ? d.opensAt.toISOString() : null,
          closesAt: d.closesAt ? d.closesAt.toISOString() : null,
        },
      }),
    onSuccess: () => {
      message.success(t('participation.surveys.created'));
      qc.invalidateQueries({ queryKey: ['surveys'] });
      form.resetFields();
      onClose();
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    },
  });
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('participation.surveys.new')}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={820}
      destroyOnHidden
    >
      <Form<Draft>
        form={form}
        layout="vertical"
        name="survey"
        initialValues={{ per: 'resident', questions: [{ type: 'single', title: '', required: true }] }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="title" label={t('participation.surveys.title')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="description" label={t('participation.surveys.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="per" label={t('participation.surveys.per')}>
            <Radio.Group
              options={[
                { value: 'resident', label: t('participation.surveys.perResident') },
                { value: 'household', label: t('participation.surveys.perHousehold') },
              ]}
            />
          </Form.Item>
          <Form.Item name="anonymous" valuePropName="checked" label=" ">
            <Checkbox>{t('participation.surveys.anonymous')}</Checkbox>
          </Form.Item>
          <Form.Item name="opensAt" label={t('participation.surveys.opensAt')}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="closesAt" label={t('participation.surveys.closesAt')}>
            <DatePicker showTime />
          </Form.Item>
        </Space>
        <AudienceFields community={community.node} />
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => {
                const q = questions[i] ?? ({} as DraftQuestion);
                const earlier = questions
                  .slice(0, i)
                  .map((x, j) => ({ x, j }))
                  .filter(({ x }) => x?.type === 'single' || x?.type === 'multiple');
                const ref = q.showIfQuestion != null ? questions[q.showIfQuestion] : undefined;
                return (
                  <Card
                    key={f.key}
                    size="small"
                    style={{ marginBottom: 12 }}
                    title={`${t('participation.surveys.question')} ${i + 1}`}
                    extra={fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                  >
                    <Space wrap align="start">
                      <Form.Item name={[f.name, 'type']} label={t('participation.surveys.type')} style={{ width: 160 }}>
                        <Select options={types.map((v) => ({ value: v, label: t(`participation.qtype.${v}`) }))} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'title']}
                        label={t('participation.surveys.questionTitle')}
                        rules={[{ required: true, message: t('common.required') }]}
                        style={{ width: 420 }}
                      >
                        <Input />
                      </Form.Item>
                      <Form.Item name={[f.name, 'required']} valuePropName="checked" label=" ">
                        <Checkbox>{t('participation.surveys.required')}</Checkbox>
                      </Form.Item>
                    </Space>
                    {withOptions.includes(q.type) && (
                      <Form.Item
                        name={[f.name, 'options']}
                        label={q.type.startsWith('matrix') ? t('participation.surveys.columns') : t('participation.surveys.options')}
                        extra={t('participation.surveys.onePerLine')}
                      >
                        <Input.TextArea rows={3} />
                      </Form.Item>
                    )}
                    {q.type?.startsWith('matrix') && (
                      <Form.Item name={[f.name, 'rows']} label={t('participation.surveys.rows')} extra={t('participation.surveys.onePerLine')}>
                        <Input.TextArea rows={3} />
                      </Form.Item>
                    )}
                    {q.type === 'rating' && (
                      <Form.Item name={[f.name, 'scale']} label={t('participation.surveys.scale')}>
                        <InputNumber min={2} max={10} placeholder="5" />
                      </Form.Item>
                    )}
                    {earlier.length > 0 && (
                      <Space wrap>
                        <Form.Item name={[f.name, 'showIfQuestion']} label={t('participation.surveys.showIf')} style={{ width: 240 }}>
                          <Select allowClear options={earlier.map(({ x, j }) => ({ value: j, label: `${j + 1}. ${x.title ?? ''}` }))} />
                        </Form.Item>
                        {ref && (
                          <Form.Item name={[f.name, 'showIfAnswers']} label={t('participation.surveys.showIfAnswers')} style={{ width: 300 }}>
                            <Select mode="multiple" options={lines(ref.options).map((o) => ({ value: o, label: o }))} />
                          </Form.Item>
                        )}
                      </Space>
                    )}
                  </Card>
                );
              })}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ type: 'single', title: '', required: false })}>
                {t('participation.surveys.addQuestion')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
