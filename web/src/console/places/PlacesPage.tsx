import { useEffect, useState } from 'react';
import { Button, Card, Col, Empty, Input, Row, Spin, Tree } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../../shared/auth';
import { pathTo, toTreeData, usePlaceTree, useCurrentPlace, type TreeItem } from '../../shared/places';
import { PlaceDetail } from './PlaceDetail';
import { PlaceFormModal } from './PlaceFormModal';

function filterTree(items: TreeItem[], q: string): TreeItem[] {
  if (!q) return items;
  const out: TreeItem[] = [];
  for (const i of items) {
    const kids = filterTree(i.children ?? [], q);
    if (i.title.includes(q) || kids.length) out.push({ ...i, children: kids.length ? kids : i.children });
  }
  return out;
}

export default function PlacesPage() {
  const { t } = useTranslation();
  const me = useMe().data!;
  const qc = useQueryClient();
  const tree = usePlaceTree();
  const current = useCurrentPlace();
  const [params, setParams] = useSearchParams();
  const selected = params.get('id') ?? current ?? tree.data?.[0]?.id ?? null;
  const [expanded, setExpanded] = useState<string[]>([]);
  const [q, setQ] = useState('');
  const [createRoot, setCreateRoot] = useState(false);

  useEffect(() => {
    if (selected && tree.data) {
      const p = pathTo(tree.data, selected).map((n) => n.id);
      setExpanded((e) => [...new Set([...e, ...p])]);
    }
  }, [selected, tree.data]);

  const data = filterTree(toTreeData(tree.data), q.trim());
  const select = (id: string) => setParams({ id });

  return (
    <>
      <div className="page-head">
        <h1>{t('nav.places')}</h1>
        {can(me, 'manage', 'all') && (
          <Button icon={<PlusOutlined />} onClick={() => setCreateRoot(true)}>
            {t('places.createRoot')}
          </Button>
        )}
      </div>
      <Row gutter={16}>
        <Col xs={24} md={8} lg={7}>
          <Card size="small" styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflow: 'auto' } }}>
            <Input.Search
              aria-label={t('places.filter')}
              placeholder={t('places.filter')}
              allowClear
              onChange={(e) => setQ(e.target.value)}
              style={{ marginBottom: 8 }}
            />
            {tree.isLoading ? (
              <Spin />
            ) : data.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Tree
                blockNode
                showLine
                treeData={data}
                expandedKeys={q ? undefined : expanded}
                defaultExpandAll={!!q}
                onExpand={(k) => setExpanded(k as string[])}
                selectedKeys={selected ? [selected] : []}
                onSelect={(keys) => keys[0] && select(String(keys[0]))}
                titleRender={(n) => (
                  <span>
                    {n.title as string}
                    <span style={{ color: '#999', fontSize: 12, marginLeft: 6 }}>{t(`placeKind.${(n as TreeItem).kind}`)}</span>
                  </span>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={16} lg={17}>
          {selected ? (
            <PlaceDetail id={selected} onSelect={select} />
          ) : (
            <Card>
              <Empty description={t('places.pick')} />
            </Card>
          )}
        </Col>
      </Row>
      <PlaceFormModal
        open={createRoot}
        parent={null}
        onClose={() => setCreateRoot(false)}
        onSaved={(p) => {
          setCreateRoot(false);
          void qc.invalidateQueries({ queryKey: ['places'] });
          select(p.id);
        }}
      />
    </>
  );
}
