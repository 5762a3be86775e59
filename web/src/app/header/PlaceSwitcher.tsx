import { TreeSelect } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { setCurrentPlace, toTreeData, useCurrentPlace, usePlaceTree, findPlace } from '../../shared/places';
import { can, useMe } from '../../shared/auth';

/** The current place; lists in the console filter by it (`placeId`). Houses and below are too fine. */
export function PlaceSwitcher() {
  const { t } = useTranslation();
  // an account that reads no places (a department officer) has nothing to switch between
  const readsPlaces = can(useMe().data, 'read', 'Place');
  const tree = usePlaceTree(readsPlaces);
  const current = useCurrentPlace();
  const data = toTreeData(tree.data, { stopAt: ['building'] });
  const value = current && (tree.isLoading || findPlace(tree.data, current)) ? current : undefined;
  if (!readsPlaces) return null;
  return (
    <TreeSelect
      aria-label={t('header.place')}
      prefix={<EnvironmentOutlined />}
      style={{ width: 300, maxWidth: '40vw' }}
      value={value}
      treeData={data}
      placeholder={t('header.allPlaces')}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll={false}
      treeDefaultExpandedKeys={value ? [value] : data.slice(0, 1).map((d) => d.key)}
      loading={tree.isLoading}
      onChange={(v) => setCurrentPlace((v as string) ?? null)}
      popupMatchSelectWidth={false}
    />
  );
}
