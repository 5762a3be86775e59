import { useEffect, useState } from 'react';
import { App, Col, DatePicker, Divider, Form, Input, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { SubmitOnEnter } from '../../shared/ui';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { useCodeOptions, useCodes } from '../../shared/codes';
import type { ResidentRow } from '../../shared/api/models';
import { HouseSelect } from './HouseSelect';

interface Props {
  open: boolean;
  resident?: ResidentRow | null;
  defaultHouseId?: string;
  defaultHouseLabel?: string;
  onClose: () => void;
  onSaved: (r: ResidentRow) => void;
}

const dateOf = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

type NewResident = ApiBody<'/api/v1/residents'>;
/** The form's values: the new resident's fields, with the dates as picked. */
type ResidentForm = Omit<NewResident, 'birthDate' | 'moveIn'> & { birthDate?: Dayjs | null; moveIn?: Dayjs | null };

/** Create a resident (optionally moving them into a house) or edit one. */
export function ResidentFormModal({ open, resident, defaultHouseId, defaultHouseLabel, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const codes = useCodes();
  const opts = useCodeOptions();
  const [busy, setBusy] = useState(false);
  const editing = !!resident;
  const houseId = Form.useWatch('houseId', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (resident) {
      form.setFieldsValue({
        name: resident.name,
        gender: resident.gender ?? undefined,
        ethnicity: resident.ethnicity ?? undefined,
        birthDate: resident.birthDate ? dayjs(resident.birthDate) : undefined,
        note: resident.note ?? undefined,
        tags: resident.tags.filter((c) => !codes.residentTags.find((x) => x.code === c)?.derived),
      });
    } else {
      form.setFieldsValue({ idType: '01', ethnicity: '01', houseId: defaultHouseId, role: 'owner', moveIn: dayjs() });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, resident?.id]);

  // GB 11643: an 18-digit ID holds the birth date (digits 7–14) and the sex (digit 17, odd = male).
  const onIdNumber = (v: string) => {
    if (form.getFieldValue('idType') !== '01' || !/^\d{17}[\dXx]$/.test(v)) return;
    const birth = dayjs(`${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`);
    if (!form.getFieldValue('birthDate') && birth.isValid()) form.setFieldValue('birthDate', birth);
    if (!form.getFieldValue('gender')) form.setFieldValue('gender', Number(v[16]) % 2 === 1 ? '1' : '2');
  };

  const submit = async (v: ResidentForm) => {
    setBusy(true);
    // an empty field is left out
    const filled = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')) as ResidentForm;
    const { moveIn, role, relation, ...person } = { ...filled, birthDate: dateOf(filled.birthDate) };
    try {
      let saved: ResidentRow;
      if (editing) {
        saved = await api.patch('/api/v1/residents/{id}', { path: { id: resident!.id }, body: person });
      } else {
        const body: NewResident = person.houseId ? { ...person, role, relation, moveIn: dateOf(moveIn) } : person;
        const r = await api.post('/api/v1/residents', { body });
        if ('reviewId' in r) {
          // 202: registered elsewhere, sent to a supervisor's review (the title is in the request's language)
          message.info(r.title);
          onClose();
          return;
        }
        saved = r;
      }
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const req = [{ required: true, message: t('common.required') }];
  const tagOptions = opts(codes.residentTags.filter((c) => !c.derived));
  return (
    <Modal
      open={open}
      width={760}
      title={editing ? t('residents.edit') : t('residents.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} name="residentForm" layout="vertical" onFinish={submit}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('residents.name')} rules={[...req, { max: 50 }]}>
              <Input autoFocus />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="phone"
              label={t('residents.phone')}
              extra={editing ? t('residents.phoneKeep') : undefined}
              rules={[{ pattern: /^1\d{10}$/, message: t('residents.phoneInvalid') }]}
            >
              <Input inputMode="tel" maxLength={11} placeholder={editing ? (resident?.phoneMasked ?? '') : ''} />
            </Form.Item>
          </Col>
          {!editing && (
            <>
              <Col span={12}>
                <Form.Item name="idType" label={t('residents.idType')} rules={req}>
                  <Select options={opts(codes.idTypes)} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="idNumber" label={t('residents.idNumber')} rules={req}>
                  <Input maxLength={30} onChange={(e) => onIdNumber(e.target.value.trim())} />
                </Form.Item>
              </Col>
            </>
          )}
          <Col span={8}>
            <Form.Item name="gender" label={t('residents.gender')}>
              <Select allowClear options={opts(codes.genders)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="birthDate" label={t('residents.birthDate')}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="ethnicity" label={t('residents.ethnicity')}>
              <Select allowClear showSearch optionFilterProp="label" options={opts(codes.ethnicities)} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="tags" label={t('residents.tags')} extra={t('residents.tagsHint')}>
              <Select mode="multiple" allowClear options={tagOptions} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="note" label={t('residents.note')} rules={[{ max: 500 }]}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
          </Col>
        </Row>
        {!editing && (
          <>
            <Divider orientation="left" plain>
              {t('residents.residency')}
            </Divider>
            <Row gutter={16}>
              <Col span={24}>
                <Form.Item name="houseId" label={t('residents.house')}>
                  <HouseSelect knownLabel={defaultHouseLabel} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="role" label={t('residents.role')} rules={houseId ? req : []}>
                  <Select options={opts(codes.residentRoles)} disabled={!houseId} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="relation" label={t('residents.relation')}>
                  <Select allowClear showSearch optionFilterProp="label" options={opts(codes.relations)} disabled={!houseId} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="moveIn" label={t('residents.moveIn')} rules={houseId ? req : []}>
                  <DatePicker style={{ width: '100%' }} disabled={!houseId} />
                </Form.Item>
              </Col>
            </Row>
          </>
        )}
        <SubmitOnEnter />
      </Form>
    </Modal>
  );
}
