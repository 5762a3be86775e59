import { Segmented } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from '../../shared/i18n';

/** 中文 / English. Server-side titles follow too, so cached answers are refetched. */
export function LangSwitch() {
  const { i18n, t } = useTranslation();
  const qc = useQueryClient();
  return (
    <Segmented
      size="small"
      aria-label={t('common.language')}
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
      onChange={(v) => {
        setLang(v as Lang);
        void qc.invalidateQueries();
      }}
    />
  );
}
