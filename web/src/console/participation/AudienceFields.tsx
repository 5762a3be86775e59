import { Form, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { toTreeData } from '../../shared/places';
import type { PlaceNode } from '../../shared/api/models';

/** Audience: places inside the community (estates, buildings, units) and registry tags. */
export function AudienceFields({ community }: { community: PlaceNode | null }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name={['audience', 'placeIds']} label={t('participation.audience.places')} extra={t('participation.audience.placesHint')}>
        <TreeSelect
          multiple
          allowClear
          treeData={toTreeData(community?.children ?? [], { stopAt: ['unit'] })}
          placeholder={community?.name}
          treeDefaultExpandAll={false}
        />
      </Form.Item>
      <Form.Item name={['audience', 'tags']} label={t('participation.audience.tags')}>
        <Select
          mode="tags"
          allowClear
          options={['elderly', 'child', 'living_alone', 'disabled', 'low_income', 'veteran', 'party_member'].map((v) => ({
            value: v,
            label: t(`participation.tag.${v}`),
          }))}
        />
      </Form.Item>
    </>
  );
}
