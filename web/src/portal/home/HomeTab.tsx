import { Card, DotLoading, ErrorBlock, List, Tag } from 'antd-mobile';
import { HomeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/api';
import { useMe } from '../../shared/auth';
import { useCodeLabel, useCodes } from '../../shared/codes';
import { useMyResident } from '../usePortal';

export function HomeTab() {
  const { t } = useTranslation();
  const me = useMe().data;
  const q = useMyResident();
  const codes = useCodes();
  const label = useCodeLabel();
  const r = q.data?.resident;

  return (
    <>
      <section className="portal-hero">
        <h1>{t('portal.hello', { name: r?.name ?? me?.name ?? '' })}</h1>
        <p>{t('portal.welcome')}</p>
      </section>
      {q.isLoading && (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <DotLoading />
        </div>
      )}
      {q.isError && <ErrorBlock status="default" title={errorMessage(q.error)} description="" />}
      {q.data && q.data.households.length === 0 && <ErrorBlock status="empty" title={t('portal.noHouse')} description={t('portal.noHouseHint')} />}
      {q.data?.households.map((h, i) => (
        <div key={`${h.houseLabel}-${i}`} style={{ padding: '12px 12px 0' }}>
          <Card
            title={
              <span>
                <HomeOutlined aria-hidden /> {h.houseLabel}
              </span>
            }
          >
            <List header={t('portal.members')} mode="card" style={{ margin: 0 }}>
              {h.members.map((m, j) => (
                <List.Item
                  key={`${m.name}-${j}`}
                  description={label(codes.residentRoles, m.role)}
                  extra={
                    m.relation ? (
                      <Tag color="primary" fill="outline">
                        {label(codes.relations, m.relation)}
                      </Tag>
                    ) : null
                  }
                >
                  {m.name}
                </List.Item>
              ))}
            </List>
          </Card>
        </div>
      ))}
    </>
  );
}
