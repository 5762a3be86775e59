import { useState } from 'react';
import { Button, Form, Input, Radio, Selector, Space, TextArea, Toast } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors, errorMessage, type ApiBody } from '../../shared/api';
import { categoryLabel, useCategories } from '../../console/workorders/api';
import { PhotoPicker, type PickedPhoto } from '../../console/workorders/PhotoPicker';
import { useMyResident } from '../usePortal';

interface Values {
  // required by the form's rules
  category: string[];
  description: string;
  placeId: string;
  preferredTime?: string;
  spot?: string;
  photos?: PickedPhoto[];
}

/**
 * A repair request: what (category), what is wrong, where (one of my houses, plus the exact
 * spot, e.g. a public corridor), when, and photos straight from the phone camera.
 */
export function NewRepair() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const cats = useCategories();
  const me = useMyResident();
  const [busy, setBusy] = useState(false);
  const houses = me.data?.resident.houses ?? [];

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const body: ApiBody<'/api/v1/repair-requests'> = {
        category: v.category[0],
        // No endpoint tells a resident the ids of their community's public places yet, so the
        // exact spot (e.g. "3号楼电梯厅") travels in the description.
        description: v.spot?.trim() ? `${t('repairs.spotPrefix')}${v.spot.trim()}\n${v.description.trim()}` : v.description.trim(),
        placeId: v.placeId,
      };
      if (v.preferredTime) body.preferredTime = v.preferredTime;
      if (v.photos?.length) body.photoIds = v.photos.map((p) => p.id);
      const w = await api.post('/api/v1/repair-requests', { body });
      Toast.show({ icon: 'success', content: t('repairs.sent') });
      void qc.invalidateQueries({ queryKey: ['work-orders'] });
      nav(`/portal/repairs/${w.id}`, { replace: true });
    } catch (e) {
      if (!applyFieldErrors(form, e)) Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      mode="card"
      onFinish={submit}
      initialValues={{ placeId: houses[0]?.houseId }}
      key={houses[0]?.houseId ?? 'none'}
      footer={
        <Space direction="vertical" block>
          <Button block type="submit" color="primary" size="large" loading={busy}>
            {t('repairs.submit')}
          </Button>
          <Button block size="large" onClick={() => nav('/portal/repairs')}>
            {t('common.cancel')}
          </Button>
        </Space>
      }
    >
      <Form.Header>{t('repairs.new')}</Form.Header>
      <Form.Item name="category" label={t('repairs.category')} rules={[{ required: true, message: t('repairs.categoryRequired') }]}>
        <Selector columns={3} options={(cats.data ?? []).map((c) => ({ value: c.code, label: categoryLabel(c) }))} />
      </Form.Item>
      <Form.Item name="description" label={t('repairs.description')} rules={[{ required: true, message: t('repairs.descriptionRequired') }, { max: 2000 }]}>
        <TextArea placeholder={t('repairs.descriptionHint')} autoSize={{ minRows: 3, maxRows: 8 }} showCount maxLength={2000} />
      </Form.Item>
      <Form.Item name="placeId" label={t('repairs.where')} rules={[{ required: true, message: t('repairs.whereRequired') }]}>
        <Radio.Group>
          <Space direction="vertical">
            {houses.map((h) => (
              <Radio key={h.houseId} value={h.houseId}>
                {t('repairs.myHouse', { house: h.houseLabel })}
              </Radio>
            ))}
            {houses.length === 0 && <span className="portal-muted">{t('portal.noHouse')}</span>}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="spot" label={t('repairs.spot')} help={t('repairs.spotHint')}>
        <Input placeholder={t('repairs.spotPlaceholder')} clearable />
      </Form.Item>
      <Form.Item name="preferredTime" label={t('repairs.preferredTime')}>
        <Input type="datetime-local" />
      </Form.Item>
      <Form.Item name="photos" label={t('photos.label')} help={t('repairs.photosHint')}>
        <PhotoPicker onError={(m) => Toast.show({ icon: 'fail', content: m })} />
      </Form.Item>
    </Form>
  );
}
